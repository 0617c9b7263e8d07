"""The desk's web application (Starlette, Jinja2 with autoescaping, uvicorn).

Server-rendered pages with plain forms: every action is a form post that
redirects back to the page it came from, so the desk works without
JavaScript; a little script adds keyboard shortcuts.  Every request but the
login page and the static files needs a session; every post needs the
session's CSRF token; the role is checked in ``desk`` on the server.

May import: errors, project, web.users, web.auth, web.desk, web.render.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlencode

from workflow.core.errors import PathError, UsageError, WorkflowError
from workflow.core.project import Project
from workflow.web import auth, desk, render, users

HERE = Path(__file__).resolve().parent
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
LOGIN_COOKIE = "bilingual_login"
_SID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class Desk:
    """One project's desk: its sessions, rate limit and templates."""

    def __init__(self, project: Project, secure_cookies: bool | None = None):
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        self.project = project
        self.sessions = auth.Sessions(project.root)
        self.limit = auth.RateLimit()
        self.signed_out: set[str] = set()  # nonces of sessions ended by "Sign out" (this process)
        self.secure = os.environ.get("BILINGUAL_SECURE_COOKIES") == "1" if secure_cookies is None else secure_cookies
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.templates.globals.update(
            marked=render.marked,
            diff=render.diff,
            target_terms=render.target_terms,
            project_name=project.config.project_name,
        )

    def page(self, name: str, status: int = 200, **values):
        from starlette.responses import HTMLResponse

        html = self.templates.get_template(name).render(**values)
        return HTMLResponse(html, status_code=status, headers=_SECURITY_HEADERS)

    def cookie(self, response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name, value, max_age=max_age, httponly=True, samesite="strict", secure=self.secure, path="/"
        )

    def who(self, request):
        """(user, session) of the request, or None."""
        session = self.sessions.read(request.cookies.get(auth.COOKIE))
        if session is None or session.nonce in self.signed_out:
            return None
        user = users.load(self.project.root).get(session.user)
        return (user, session) if user is not None else None


def _redirect(url: str):
    from starlette.responses import RedirectResponse

    return RedirectResponse(url, status_code=303, headers=_SECURITY_HEADERS)


def _local(url: str | None) -> str:
    """A redirect target from a form: a path on this site, never another site."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


def _same_origin(request) -> bool:
    """A post whose Origin header (when sent) names this host."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


# -- login ---------------------------------------------------------------------------------------


async def login_page(request):
    d: Desk = request.app.state.desk
    import secrets

    nonce = secrets.token_urlsafe(16)
    token = d.sessions.csrf(auth.Session("", nonce))
    response = d.page("login.html", next=_local(request.query_params.get("next")), csrf=token, error="")
    d.cookie(response, LOGIN_COOKIE, nonce, 600)
    return response


async def login_post(request):
    from starlette.concurrency import run_in_threadpool

    d: Desk = request.app.state.desk
    form = await request.form()
    name, password = str(form.get("username", "")), str(form.get("password", ""))
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not _same_origin(request) or not d.sessions.csrf_ok(auth.Session("", nonce), form.get("csrf")):
        return d.page("error.html", 403, title="Refused", message="The login form expired; open the login page again.")
    again = {"next": _local(str(form.get("next", "/"))), "csrf": form.get("csrf")}
    if d.limit.blocked(name):
        return d.page("login.html", 429, error="Too many failed logins for this name; wait a few minutes.", **again)
    user = await run_in_threadpool(users.verify, d.project.root, name, password)
    if user is None:
        d.limit.failed(name)
        return d.page("login.html", 401, error="Wrong user name or password.", **again)
    d.limit.clear(name)
    response = _redirect(again["next"])
    d.cookie(response, auth.COOKIE, d.sessions.issue(user.name), auth.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


async def logout(request):
    d: Desk = request.app.state.desk
    found = d.who(request)
    form = await request.form()
    if found is None or not d.sessions.csrf_ok(found[1], form.get("csrf")):
        return d.page("error.html", 403, title="Refused", message="Missing or invalid form token.")
    d.signed_out.add(found[1].nonce)  # the cookie stops working even if a copy of it survives
    response = _redirect("/login")
    response.delete_cookie(auth.COOKIE, path="/")
    return response


# -- pages ---------------------------------------------------------------------------------------


def _failure(d: Desk, exc: WorkflowError):
    if isinstance(exc, PathError):
        return d.page("error.html", 404, title="Not found", message=str(exc))
    if isinstance(exc, desk.Forbidden):
        return d.page("error.html", 403, title="Not allowed", message=str(exc))
    if isinstance(exc, UsageError):
        return d.page("error.html", 400, title="Not done", message=str(exc))
    return d.page("error.html", 400 if exc.exit_code == 3 else 409, title="Not done", message=str(exc))


def _signed_in(handler):
    """A page for signed-in users: others are sent to the login page."""

    async def wrapped(request):
        from starlette.concurrency import run_in_threadpool

        d: Desk = request.app.state.desk
        found = d.who(request)
        if found is None:
            return _redirect("/login?" + urlencode({"next": request.url.path}))
        user, session = found
        try:
            return await run_in_threadpool(handler, d, request, user, d.sessions.csrf(session))
        except WorkflowError as exc:
            return _failure(d, exc)

    return wrapped


@_signed_in
def project_page(d: Desk, request, user, csrf):
    return d.page(
        "project.html",
        user=user,
        csrf=csrf,
        articles=desk.project_view(d.project),
        langs=d.project.config.target_languages,
    )


def _filters(params) -> desk.Filters:
    return desk.Filters(
        state=params.get("state", ""),
        role=params.get("role", ""),
        finding=params.get("finding", ""),
        changed=params.get("changed") == "1",
    )


@_signed_in
def article_page(d: Desk, request, user, csrf):
    p = request.path_params
    view = desk.article_view(d.project, p["article"], p["lang"])
    filters = _filters(request.query_params)
    shown = [s for s in view.segments if filters.keep(s)]
    roles = sorted({s.role for s in view.segments})
    here = request.url.path + ("?" + request.url.query if request.url.query else "")
    return d.page(
        "article.html",
        user=user,
        csrf=csrf,
        view=view,
        shown=shown,
        filters=filters,
        roles=roles,
        states=[s.value for s in desk.State if s is not desk.State.OBSOLETE],
        here=here,
        message=request.query_params.get("done", ""),
        ok=request.query_params.get("ok", "1") == "1",
    )


@_signed_in
def segment_page(d: Desk, request, user, csrf):
    p = request.path_params
    seg = desk.segment_view(d.project, p["article"], p["lang"], p["sid"])
    return d.page(
        "segment.html", user=user, csrf=csrf, seg=seg, article=p["article"], lang=p["lang"], here=request.url.path
    )


@_signed_in
def preview_page(d: Desk, request, user, csrf):
    p = request.path_params
    edition = request.query_params.get("edition", p["lang"])
    article, units = desk.edition_units(d.project, p["article"], p["lang"], edition)
    return d.page(
        "preview.html",
        user=user,
        csrf=csrf,
        article=article,
        lang=p["lang"],
        edition=edition,
        body=render.edition(units, "txt" if article.format == "txt" else "md"),
    )


# -- actions -------------------------------------------------------------------------------------

_ACTIONS = {
    "edit": lambda f: {"text": str(f.get("text", ""))},
    "approve": lambda f: {"note": str(f.get("note", ""))},
    "reject": lambda f: {"note": str(f.get("note", ""))},
    "accept": lambda f: {"check": str(f.get("check", "")), "reason": str(f.get("reason", ""))},
}


def _act(d: Desk, user, csrf: str, params: dict, form: dict):
    action, sid = params["action"], params["sid"]
    call = getattr(desk, action)
    values = _ACTIONS[action](form)
    try:
        outcome = call(
            d.project, user, params["article"], params["lang"], sid, based_on=str(form.get("rev", "")), **values
        )
    except desk.Conflict as conflict:
        return d.page(
            "conflict.html",
            409,
            user=user,
            conflict=conflict,
            action=action,
            mine=values,
            article=params["article"],
            lang=params["lang"],
            back=_local(form.get("back")),
            csrf=csrf,
        )
    back = _local(str(form.get("back", "")))
    path, _, query = back.partition("?")
    query = "&".join(q for q in query.split("&") if q and not q.startswith(("done=", "ok=", "rev=")))
    extra = urlencode({"done": f"{sid}: {outcome.message}", "ok": "1" if outcome.ok else "0", "rev": outcome.revision})
    then = str(form.get("then", ""))
    anchor = then if _SID.match(then) else sid
    return _redirect(f"{path}?{query + '&' if query else ''}{extra}#s-{anchor}")


async def segment_post(request):
    from starlette.concurrency import run_in_threadpool

    d: Desk = request.app.state.desk
    found = d.who(request)
    if found is None:
        return d.page("error.html", 401, title="Sign in first", message="You are not signed in.")
    form = dict(await request.form())
    user, session = found
    if not _same_origin(request) or not d.sessions.csrf_ok(session, form.get("csrf")):
        return d.page("error.html", 403, title="Refused", message="Missing or invalid form token.")
    if request.path_params["action"] not in _ACTIONS:
        return d.page("error.html", 404, title="Not found", message="no such action")
    try:
        return await run_in_threadpool(_act, d, user, d.sessions.csrf(session), request.path_params, form)
    except WorkflowError as exc:
        return _failure(d, exc)


def application(project: Project, secure_cookies: bool | None = None):
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    routes = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", project_page),
        Route("/a/{article}/{lang}", article_page),
        Route("/a/{article}/{lang}/preview", preview_page),
        Route("/a/{article}/{lang}/s/{sid}", segment_page),
        Route("/a/{article}/{lang}/s/{sid}/{action}", segment_post, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.desk = Desk(project, secure_cookies)
    return app


def _can_listen(host: str, port: int) -> None:
    """A port already taken is said in one line before uvicorn starts."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port") from None


def serve(project: Project, host: str = "127.0.0.1", port: int = 8700) -> None:
    """Run the desk until Ctrl-C (uvicorn; its access log shows paths, never a form's fields).
    Stopped by a signal once it served, it raises ``KeyboardInterrupt`` (exit 130)."""
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        raise UsageError("the desk needs its web libraries: pip install 'bilingual-workflow[web]'") from None
    if not users.load(project.root):
        raise UsageError("no desk users yet: add one with 'bilingual users add NAME --role editor'")
    _can_listen(host, port)
    server = uvicorn.Server(
        uvicorn.Config(
            application(project), host=host, port=port, log_level="info", proxy_headers=False, server_header=False
        )
    )
    server.run()
    if server.started:
        raise KeyboardInterrupt
