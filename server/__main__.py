"""The `polku` console script (and `python -m server`): Flask's command line for this app."""

from flask.cli import FlaskGroup

from server import create_app


def main() -> None:
    FlaskGroup(create_app=create_app)()


if __name__ == "__main__":
    main()
