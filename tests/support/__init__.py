"""What the tests share, in one place: test modules import helpers from here
(or take fixtures), never from one another.

factories        the `factory` fixture (a pytest plugin) and the test users' PASSWORD
web              a client's CSRF token and login
device           SimDevice: a coach's device speaking the sync protocol through the app
engine_device    the same device on the sync engine alone, in memory (unit tests)
merge            mutations and merges in a line (the merge rules' unit tests)
webauthn         SoftAuthenticator: a security key in software
signoff          the sign-off scene: a demonstration to sign, its employer and representatives
browser          the app in Chromium: the service worker, the switchable network, axe checks
browser_signoff  signing in Chromium: the virtual authenticator, hand-over mode
"""
