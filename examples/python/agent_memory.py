#!/usr/bin/env python3
"""Agent Memory from Python, with the standard library only.

Remembers a fact about a user, recalls it, then has a chat turn streamed as server-sent events (printed event by
event: the memories recalled for the message, each token, the whole reply) and reads the session's working memory.
At the end it forgets the user again. Exits non-zero when the service does not answer as expected.

    AGENT_MEMORY_URL=http://localhost:8080 python3 agent_memory.py

Credentials, when authentication is on: AGENT_MEMORY_API_KEY (sent as X-API-Key) or AGENT_MEMORY_TOKEN (a bearer
JWT whose subject is the user, or in the memory-admin group).
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


class AgentMemory:
    """A small client of the Agent Memory HTTP API."""

    def __init__(self, base_url, api_key=None, token=None):
        self.base_url = base_url.rstrip("/")
        self.headers = {}
        if api_key:
            self.headers["X-API-Key"] = api_key
        elif token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _request(self, method, path, body=None, accept="application/json"):
        headers = {**self.headers, "Accept": accept}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=60)
        except urllib.error.HTTPError as error:
            # Every error is a problem+json document: type, title, status, detail (and field for bad input).
            problem = json.loads(error.read() or b"{}")
            raise SystemExit(f"{method} {path}: {error.code} {problem.get('detail', error.reason)}") from None

    def _json(self, method, path, body=None):
        with self._request(method, path, body) as response:
            return json.loads(response.read() or b"null")

    @staticmethod
    def _user(user):
        return "/v1/users/" + urllib.parse.quote(user, safe="")

    def remember(self, user, text, kind=None):
        """Stores a fact (or returns the one already known that says the same)."""
        body = {"text": text} if kind is None else {"text": text, "kind": kind}
        return self._json("POST", f"{self._user(user)}/memories", body)

    def recall(self, user, query, limit=5):
        """The user's memories most relevant to the query, best first, each with a score."""
        query_string = urllib.parse.urlencode({"q": query, "limit": limit})
        return self._json("GET", f"{self._user(user)}/memories?{query_string}")["memories"]

    def chat_stream(self, user, session, message):
        """One chat turn, streamed: yields (event, data) for each server-sent event as it arrives."""
        path = f"{self._user(user)}/sessions/{urllib.parse.quote(session, safe='')}/chat/stream"
        with self._request("POST", path, {"message": message}, accept="text/event-stream") as response:
            event, data = "message", []
            for raw in response:  # one line at a time, as the service sends them
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:  # a blank line ends an event
                    if data:
                        yield event, json.loads("\n".join(data))
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[len("event:"):].strip()
                elif line.startswith("data:"):
                    data.append(line[len("data:"):].removeprefix(" "))

    def session(self, user, session):
        """Working memory: the session's recent messages and the seconds until it expires."""
        return self._json("GET", f"{self._user(user)}/sessions/{urllib.parse.quote(session, safe='')}")

    def forget_user(self, user):
        """Deletes every memory and session of the user."""
        self._request("DELETE", self._user(user)).close()


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def main():
    memory = AgentMemory(
        os.environ.get("AGENT_MEMORY_URL", "http://localhost:8080"),
        api_key=os.environ.get("AGENT_MEMORY_API_KEY"),
        token=os.environ.get("AGENT_MEMORY_TOKEN"),
    )
    user = f"example-{uuid.uuid4().hex[:8]}"

    fact = memory.remember(user, "User is allergic to peanuts", "preference")
    print(f"remembered {fact['id']}: {fact['text']} ({fact['kind']})")

    found = memory.recall(user, "peanut allergy")
    for m in found:
        print(f"recalled {m['id']}: {m['text']} (score {m['score']:.2f})")
    check(found and found[0]["id"] == fact["id"], "the recall finds the remembered fact first")

    recalled, tokens, reply = [], [], None
    for event, data in memory.chat_stream(user, "kitchen", "Which snacks should I buy for the party?"):
        if event == "memories":
            recalled = [m["id"] for m in data["memories"]]
            print(f"[memories] {', '.join(m['text'] for m in data['memories']) or 'none'}")
            print("[tokens] ", end="")
        elif event == "token":
            tokens.append(data["text"])
            print(data["text"], end="", flush=True)
        elif event == "done":
            reply = data["reply"]
            print(f"\n[done] {len(tokens)} tokens, reply saved")
        elif event == "error":
            raise SystemExit(f"FAILED: the turn ended with {data['status']} {data.get('detail')}")
    check(fact["id"] in recalled, "the chat turn recalled the remembered fact")
    check(reply is not None and "".join(tokens) == reply, "the tokens add up to the reply")

    working = memory.session(user, "kitchen")
    print(f"working memory: {len(working['messages'])} messages, expires in {working['ttlSeconds']} s")
    check([m["role"] for m in working["messages"]] == ["user", "assistant"], "the session holds the exchange")

    memory.forget_user(user)
    check(memory.recall(user, "peanut allergy") == [], "nothing is left after forgetting the user")
    print(f"forgot {user}; python example passed")


if __name__ == "__main__":
    sys.exit(main())
