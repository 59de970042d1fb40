"""Employer sign-off of work demonstrations with WebAuthn (issue 5).

canonical: the signed content's bytes and the challenge (pure; twin of pwa/js/signoff/)
content:   the server's copy of that content, read from the database
verify:    checking a sign-off on arrival and re-checking it for an audit
reasons:   failure reasons for people, in their language
status:    a demonstration's sign-off status as the desk and the employer see it
credentials, views: representatives register security keys; admins revoke them
cli:       `flask verify-signoff`
"""
