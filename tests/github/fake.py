"""A local server that behaves like the parts of GitHub's REST API jit-tracker uses.

The real PyGithub client talks real HTTP to pytest-httpserver; the fake keeps issues,
comments and labels in memory, pages lists with Link headers, sends rate-limit headers
and can be told to fail: a 500, a 403 with rate-limit headers, or a dropped connection
(before or after it has done the work). Extend it by adding routes in ``route``.
"""

from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from tracker.tickets import parse_marker

OWNER, REPO = "octo", "jit-tasks"
PREFIX = "/api/v3"


@dataclass
class Fault:
    method: str
    path: str  # regex on the path after the API prefix
    kind: str  # "500" | "ratelimit" | "secondary" | "drop" | "drop_after"
    skip: int = 0  # let this many matching requests through first
    times: int = 1
    reset_in: int = 3600


class FakeGitHub:
    def __init__(self, httpserver, repo: str = f"{OWNER}/{REPO}"):
        self.repo = repo
        self.server = httpserver
        self.issues: dict[int, dict] = {}
        self.comments: dict[int, list[dict]] = {}
        self.labels: dict[str, dict] = {}
        self.next_number = 1
        self.writes: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self.queries: list[tuple[str, str]] = []  # the same, with the query string
        self.faults: list[Fault] = []
        self.remaining = 5000
        self.authorization: set[str] = set()
        # repository contents (github.source): commits by sha, refs, blobs by id
        self.commits: dict[str, dict] = {}
        self.refs: dict[tuple[str, str], str] = {}
        self.blobs: dict[str, bytes] = {}
        self.pulls: list[dict] = []
        self.login = "jit-bot"  # who the token belongs to (the author of comments posted)
        self.read_only = False  # when set, any write is refused and recorded in attempted_writes
        self.attempted_writes: list[tuple[str, str]] = []
        self._clock = 0
        self.counted = 0  # answers that count against the rate limit (every one but 304s)
        self.not_modified = 0  # answers 304 to a conditional request
        self.budget: int | None = None  # when set: answers left before the rate limit (then 403s)
        self.reset_at = int(time.time()) + 3600
        self.etags = True  # send ETags and answer If-None-Match with 304
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def base_url(self) -> str:
        return self.server.url_for(PREFIX)

    @property
    def repo_path(self) -> str:
        return f"/repos/{self.repo}"

    @property
    def html(self) -> str:
        return f"https://github.example/{self.repo}"

    # --- helpers for tests
    def add_issue(self, title, body, state="open", labels=(), assignees=(), pull_request=False,
                  number: int | None = None, author: str = "jit-bot") -> dict:
        n = number if number is not None else self.next_number
        if number is None:
            self.next_number += 1
        issue = {
            "id": 1000 + n, "number": n, "title": title, "body": body, "state": state,
            "state_reason": None,
            "labels": [self._label(name) for name in labels],
            "assignees": [{"login": a} for a in assignees],
            "assignee": {"login": assignees[0]} if assignees else None,
            "user": {"login": author},
            "comments": 0,
            "created_at": "2025-05-30T00:00:00Z",
            "updated_at": "2025-05-30T00:00:00Z",
            "closed_at": None,
        }
        if pull_request:
            issue["pull_request"] = {"url": "x"}
        self.issues[n] = issue
        self.comments[n] = []
        return issue

    def _now(self) -> str:
        """A timestamp that grows by a minute with every comment or pull request made."""
        self._clock += 1
        return f"2025-06-{1 + self._clock // 1440:02d}T{self._clock // 60 % 24:02d}:{self._clock % 60:02d}:00Z"

    def add_comment(self, number: int, author: str, body: str) -> dict:
        c = {"id": 5000 + sum(len(v) for v in self.comments.values()), "body": body, "user": {"login": author},
             "created_at": self._now(),
             "html_url": f"{self.html}/issues/{number}#issuecomment-{len(self.comments[number])}"}
        self.comments[number].append(c)
        return c

    def add_pull(self, title: str, body: str = "", author: str = "dev", state: str = "open",
                 merged: bool = False, number: int | None = None) -> dict:
        n = number if number is not None else self.next_number
        if number is None:
            self.next_number += 1
        created = self._now()
        pr = {"id": 9000 + n, "number": n, "title": title, "body": body, "state": "closed" if merged else state,
              "user": {"login": author}, "created_at": created, "merged_at": created if merged else None,
              "closed_at": created if (merged or state == "closed") else None,
              "html_url": f"{self.html}/pull/{n}"}
        self.pulls.append(pr)
        self.pull_by_number[n] = pr
        self.comments[n] = []
        return pr

    @property
    def pull_by_number(self) -> dict[int, dict]:
        if not hasattr(self, "_pulls_by_number"):
            self._pulls_by_number: dict[int, dict] = {}
        return self._pulls_by_number

    def _pull_issue_json(self, request: Request, pr: dict) -> dict:
        """A pull request as the issues API shows it (what timelines embed)."""
        api = request.host_url.rstrip("/") + PREFIX + self.repo_path
        return {"number": pr["number"], "title": pr["title"], "body": pr["body"], "state": pr["state"],
                "user": pr["user"], "labels": [], "assignees": [], "created_at": pr["created_at"],
                "updated_at": pr["created_at"], "closed_at": pr.get("closed_at"),
                "html_url": pr["html_url"], "comments": len(self.comments.get(pr["number"], [])),
                "comments_url": f"{api}/issues/{pr['number']}/comments",
                "url": f"{api}/issues/{pr['number']}",
                "pull_request": {"url": f"{api}/pulls/{pr['number']}", "html_url": pr["html_url"],
                                 "merged_at": pr.get("merged_at")}}

    def timeline(self, request: Request, number: int) -> list[dict]:
        """Comments and cross-references of one issue, oldest first, as GitHub's timeline."""
        events = [dict(c, event="commented") for c in self.comments.get(number, [])]
        ref = re.compile(rf"(?:#|\bgh-|\bGH-|/issues/){number}\b")
        for pr in self.pulls:
            if pr["number"] != number and ref.search(f"{pr['title']}\n{pr['body']}"):
                events.append({"event": "cross-referenced", "created_at": pr["created_at"],
                               "source": {"type": "issue", "issue": self._pull_issue_json(request, pr)}})
        for other in self.issues.values():
            if other["number"] != number and ref.search(f"{other['title']}\n{other['body']}"):
                events.append({"event": "cross-referenced", "created_at": other["created_at"],
                               "source": {"type": "issue", "issue": self._issue_json(request, other)}})
        return sorted(events, key=lambda e: e["created_at"])

    def ours(self) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for issue in self.issues.values():
            m = parse_marker(issue["body"])
            if m:
                found.setdefault(m[0], []).append(issue)
        return found

    def _label(self, name: str) -> dict:
        if name not in self.labels:  # GitHub makes unknown labels on issue writes
            self.labels[name] = {"name": name, "color": "ededed", "description": ""}
        return dict(self.labels[name])

    def _json(self, data, status=200, headers=None) -> Response:
        import hashlib

        text = json.dumps(data)
        h = {"Content-Type": "application/json", "X-RateLimit-Limit": "5000",
             "X-RateLimit-Remaining": str(self.remaining), "X-RateLimit-Reset": str(int(time.time()) + 3600)}
        if self.budget is not None:
            h.update({"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": str(self.budget),
                      "X-RateLimit-Reset": str(self.reset_at)})
        h.update(headers or {})
        if status == 200 and self.etags:
            h["ETag"] = '"' + hashlib.sha1((text + h.get("Link", "")).encode()).hexdigest() + '"'
        return Response(text, status=status, headers=h)

    def _issue_json(self, request: Request, issue: dict) -> dict:
        api = request.host_url.rstrip("/") + PREFIX + self.repo_path
        out = dict(issue)
        out["url"] = f"{api}/issues/{issue['number']}"
        out["comments_url"] = f"{api}/issues/{issue['number']}/comments"
        out["html_url"] = f"{self.html}/issues/{issue['number']}"
        out["comments"] = len(self.comments[issue["number"]])
        return out

    def _page(self, request: Request, items: list) -> Response:
        per_page = int(request.args.get("per_page", 30))
        page = int(request.args.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        base = request.base_url

        def url(p: int) -> str:
            args = dict(request.args)
            args["page"] = str(p)
            return base + "?" + "&".join(f"{k}={v}" for k, v in args.items())
        if page < last:
            links.append(f'<{url(page + 1)}>; rel="next"')
            links.append(f'<{url(last)}>; rel="last"')
        if page > 1:
            links.append(f'<{url(1)}>; rel="first"')
            links.append(f'<{url(page - 1)}>; rel="prev"')
        return self._json(chunk, headers={"Link": ", ".join(links)} if links else None)

    def _fault(self, request: Request, path: str) -> Fault | None:
        for f in self.faults:
            if f.method == request.method and re.fullmatch(f.path, path):
                if f.skip > 0:
                    f.skip -= 1
                    return None
                if f.times > 0:
                    f.times -= 1
                    return f
        return None

    @staticmethod
    def _drop(request: Request) -> Response:
        sock = request.environ["werkzeug.socket"]
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        return Response("", status=500)

    def handle(self, request: Request) -> Response:
        path = request.path[len(PREFIX):] if request.path.startswith(PREFIX) else request.path
        self.requests.append((request.method, path))
        query = request.query_string.decode()
        self.queries.append((request.method, path + ("?" + query if query else "")))
        if "Authorization" in request.headers:
            self.authorization.add(request.headers["Authorization"])
        if "bad-token" in request.headers.get("Authorization", ""):
            return self._json({"message": "Bad credentials"}, 401)
        if self.read_only and request.method in ("POST", "PATCH", "PUT", "DELETE"):
            self.attempted_writes.append((request.method, path))
            return self._json({"message": "this test allows no writes"}, 403)
        fault = self._fault(request, path)
        if fault and fault.kind == "500":
            return self._json({"message": "Server Error"}, 500)
        if fault and fault.kind == "ratelimit":
            return self._json({"message": "API rate limit exceeded for installation ID 1."}, 403, {
                "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + fault.reset_in)})
        if fault and fault.kind == "secondary":
            return self._json({"message": "You have exceeded a secondary rate limit."}, 403, {"Retry-After": "7"})
        if fault and fault.kind == "drop":
            return self._drop(request)
        if self.budget is not None and self.budget <= 0:
            return self._json({"message": "API rate limit exceeded for 127.0.0.1."}, 403,
                              {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(self.reset_at)})
        response = self.route(request, path)
        etag = response.headers.get("ETag")
        if etag and request.method == "GET" and request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            h = {k: v for k, v in response.headers.items() if k.lower().startswith(("x-ratelimit", "etag", "link"))}
            return Response(status=304, headers=h)
        self.counted += 1
        if self.budget is not None:
            self.budget -= 1
            response.headers["X-RateLimit-Remaining"] = str(self.budget)
        if request.method in ("POST", "PATCH", "PUT", "DELETE") and response.status_code < 300:
            self.writes.append((request.method, path))
        if fault and fault.kind == "drop_after":
            return self._drop(request)
        return response

    def route(self, request: Request, path: str) -> Response:
        found = self.route_contents(request, path)
        if found is not None:
            return found
        rp = self.repo_path
        m = re.fullmatch(re.escape(rp) + r"/issues/(\d+)(/comments|/timeline)?", path)
        if m and m.group(2) == "/timeline":
            return self._page(request, self.timeline(request, int(m.group(1))))
        if m and not m.group(2) and int(m.group(1)) in self.pull_by_number:
            return self._json(self._pull_issue_json(request, self.pull_by_number[int(m.group(1))]))
        if path == rp + "/issues" and request.method == "GET":
            state = request.args.get("state", "open")
            wanted = {n for n in request.args.get("labels", "").split(",") if n}
            items = [self._issue_json(request, i) for i in sorted(self.issues.values(), key=lambda i: -i["number"])
                     if (state == "all" or i["state"] == state)
                     and wanted <= {lb["name"] for lb in i["labels"]}]
            return self._page(request, items)
        if path == rp + "/issues" and request.method == "POST":
            data = request.get_json()
            issue = self.add_issue(data["title"], data.get("body", ""), labels=data.get("labels", []),
                                   assignees=data.get("assignees", []))
            return self._json(self._issue_json(request, issue), 201)
        if m and not m.group(2):
            issue = self.issues.get(int(m.group(1)))
            if issue is None:
                return self._json({"message": "Not Found"}, 404)
            if request.method == "PATCH":
                data = request.get_json()
                for key in ("title", "body", "state", "state_reason"):
                    if key in data:
                        issue[key] = data[key]
                if "labels" in data:
                    issue["labels"] = [self._label(n) for n in data["labels"]]
            return self._json(self._issue_json(request, issue))
        if m and m.group(2):
            n = int(m.group(1))
            if n not in self.comments:
                return self._json({"message": "Not Found"}, 404)
            if request.method == "POST":
                return self._json(self.add_comment(n, self.login, request.get_json()["body"]), 201)
            since = request.args.get("since")  # GitHub: comments updated at or after it
            return self._page(request, [c for c in self.comments[n]
                                        if not since or c.get("updated_at", c["created_at"]) >= since])
        if path == rp + "/pulls" and request.method == "GET":
            state = request.args.get("state", "open")
            items = [p for p in sorted(self.pulls, key=lambda p: p["created_at"], reverse=True)
                     if state == "all" or p["state"] == state]
            return self._page(request, items)
        if path == rp + "/labels" and request.method == "GET":
            return self._page(request, list(self.labels.values()))
        if path == rp + "/labels" and request.method == "POST":
            data = request.get_json()
            if data["name"] in self.labels:
                return self._json({"message": "Validation Failed", "errors": [{"code": "already_exists"}]}, 422)
            self.labels[data["name"]] = {"name": data["name"], "color": data.get("color", ""),
                                         "description": data.get("description", "")}
            return self._json(self.labels[data["name"]], 201)
        return self._json({"message": "Not Found"}, 404)

    # --- repository contents: commits, directory listings, blobs (what github.source reads)
    def add_commit(self, files: dict[str, bytes], *, repo: str = "python/cpython", ref: str = "main",
                   date: str = "2026-11-20T10:00:00Z") -> str:
        """A commit holding ``files`` (path -> content), which ``ref`` now points at."""
        import hashlib

        tree = {}
        for path, data in files.items():
            oid = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
            self.blobs[oid] = data
            tree[path] = oid
        sha = hashlib.sha1(f"{repo}{ref}{date}{sorted(tree.items())}".encode()).hexdigest()
        self.commits[sha] = {"repo": repo, "date": date, "tree": tree}
        self.refs[(repo, ref)] = sha
        return sha

    def content_requests(self) -> list[tuple[str, str]]:
        """Requests that downloaded file content (listings and blobs), not just resolved a ref."""
        return [(m, p) for m, p in self.requests if "/contents/" in p or "/git/blobs/" in p]

    def route_contents(self, request: Request, path: str) -> Response | None:
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/(commits/(.+)|contents/(.+)|git/blobs/([0-9a-f]+))", path)
        if m is None or request.method != "GET":
            return None
        repo = m.group(1)
        if m.group(3) is not None:  # commits/REF
            ref = m.group(3)
            sha = self.refs.get((repo, ref)) or (ref if self.commits.get(ref, {}).get("repo") == repo else None)
            if sha is None:
                known = any(r == repo for r, _ in self.refs)
                return self._json({"message": f"No commit found for SHA: {ref}" if known else "Not Found"},
                                  422 if known else 404)
            c = self.commits[sha]
            return self._json({"sha": sha, "commit": {"committer": {"date": c["date"]},
                                                      "author": {"date": c["date"]}, "message": "x"},
                               "files": []})
        if m.group(4) is not None:  # contents/DIR?ref=SHA
            c = self.commits.get(request.args.get("ref", ""))
            if c is None or c["repo"] != repo:
                return self._json({"message": "Not Found"}, 404)
            prefix = m.group(4).rstrip("/") + "/"
            items = [{"name": p[len(prefix):], "path": p, "sha": oid, "type": "file",
                      "size": len(self.blobs[oid])}
                     for p, oid in sorted(c["tree"].items())
                     if p.startswith(prefix) and "/" not in p[len(prefix):]]
            return self._json(items) if items else self._json({"message": "Not Found"}, 404)
        data = self.blobs.get(m.group(5))
        if data is None:
            return self._json({"message": "Not Found"}, 404)
        import base64

        return self._json({"sha": m.group(5), "size": len(data), "encoding": "base64",
                           "content": base64.encodebytes(data).decode()})
