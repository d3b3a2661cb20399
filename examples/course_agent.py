#!/usr/bin/env python3
"""Drive a service that speaks the botify course's protocol the way the course simulator's
remote agent does (sim/sim/agents/remote.py and sim/sim/run.py's run_episode), with the
standard library only.

Each episode: a user and a first track; POST /next/<user> {"track": first, "time": 1.0};
then for every recommended track a listen fraction is drawn, and the agent POSTs /next with
that track and fraction while the session goes on, and /last with the final one when it is
done. The listener here is a seeded stand-in for the course's (budget 5, one unit spent
whenever a uniform draw exceeds the fraction heard); what it exercises is the protocol, not
taste. One keep-alive connection carries every call, as urllib3's pool does.

Prints one JSON object: episodes, next_calls, last_calls, plays per user in call order, and
checks every answer (status 200, "user" echoed, "track" a catalog id) on the way.

    python3 examples/course_agent.py --port 5001 --episodes 100 --tracks 26229
"""
import argparse
import http.client
import json
import random
import sys


class ProtocolError(Exception):
    pass


class RemoteAgent:
    """The course's RemoteRecommender: `next` while not done, `last` when done."""

    def __init__(self, host, port, timeout):
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def post(self, path, body):
        data = json.dumps(body)
        self.connection.request("POST", path, body=data,
                                headers={"Content-Type": "application/json", "Accept": "application/json"})
        response = self.connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise ProtocolError(f"POST {path} {data} answered {response.status}: {payload!r}")
        if response.getheader("Connection", "").lower() == "close":
            raise ProtocolError(f"POST {path} closed the connection (no keep-alive)")
        return json.loads(payload.decode("utf-8"))

    def recommend(self, user, track, reward, done):
        endpoint = "last" if done else "next"
        answer = self.post(f"/{endpoint}/{user}", {"track": int(track), "time": reward})
        if answer.get("user") != user:
            raise ProtocolError(f"/{endpoint}/{user} answered for user {answer.get('user')!r}")
        return answer.get("track")

    def close(self):
        self.connection.close()


def run(args):
    rng = random.Random(args.seed)
    agent = RemoteAgent(args.host, args.port, args.timeout)
    next_calls = last_calls = 0
    plays = {}
    try:
        for _ in range(args.episodes):
            user = rng.randrange(args.users)
            track = rng.randrange(args.tracks)
            reward, done, budget = 1.0, False, args.budget
            session = []
            while not done:
                session.append([track, reward])
                action = agent.recommend(user, track, reward, done)
                next_calls += 1
                if not isinstance(action, int) or not 0 <= action < args.tracks:
                    raise ProtocolError(f"/next/{user} recommended {action!r}, not a track id 0..{args.tracks - 1}")
                track = action
                reward = round(rng.random(), 2)
                if rng.random() > reward:
                    budget -= 1
                done = budget <= 0 or len(session) + 1 >= args.max_steps
            session.append([track, reward])
            agent.recommend(user, track, reward, done)
            last_calls += 1
            plays.setdefault(str(user), []).append(session)
    finally:
        agent.close()
    return {"episodes": args.episodes, "next_calls": next_calls, "last_calls": last_calls, "plays": plays}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--users", type=int, default=1000, help="user ids are drawn from 0..USERS-1")
    parser.add_argument("--tracks", type=int, required=True, help="catalog size: first tracks are drawn from 0..TRACKS-1")
    parser.add_argument("--budget", type=int, default=5, help="the listener's session budget (the course's default 5)")
    parser.add_argument("--max-steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    try:
        print(json.dumps(run(args)))
    except (ProtocolError, OSError, ValueError) as error:
        print(f"course_agent: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
