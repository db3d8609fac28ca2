"""The agents' web queue: Starlette pages over the store, accounts and sessions, live updates by server-sent events.

- `app.py`: the routes and the security headers; `server.py`: running it on uvicorn;
- `auth.py`: password hashes, signed session cookies, CSRF tokens, login rate limits;
- `data.py`: the one adapter from the store's readers to the conversation JSON shape the pages use;
- `presence.py`: who has which conversation open or is editing its draft (in memory, per process).
"""
