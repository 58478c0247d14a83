"""Interop: two slixmpp clients log in to almanac, manage the roster, subscribe to each other's
presence and exchange messages. Prints one JSON object with what each step saw; the node test
(test/interop/slixmpp.test.ts) judges it. Usage: roster_presence_messages.py PORT"""
import asyncio
import json
import logging
import ssl
import sys

import slixmpp

PORT = int(sys.argv[1])
results = {}


def make(jid):
    c = slixmpp.ClientXMPP(jid, "secret")
    c.ssl_context.check_hostname = False
    c.ssl_context.verify_mode = ssl.CERT_NONE
    # slixmpp 1.8 binds channels with tls-unique only, which TLS 1.3 does not define (RFC 9266):
    # on TLS 1.2 it gets SCRAM-SHA-256-PLUS with tls-unique.
    c.ssl_context.maximum_version = ssl.TLSVersion.TLSv1_2
    return c


async def main():
    alice = make("alice@localhost/slix")
    bob = make("bob@localhost/slix")
    bob.auto_authorize = True
    bob.auto_subscribe = False
    got_message = asyncio.get_event_loop().create_future()
    alice_saw_bob = asyncio.get_event_loop().create_future()
    alice_subscribed = asyncio.get_event_loop().create_future()

    def on_bob_message(msg):
        if msg["type"] in ("chat", "normal"):
            bob.send_message(mto=msg["from"], mbody="pong: " + msg["body"], mtype="chat")

    def on_alice_message(msg):
        if not got_message.done():
            got_message.set_result(str(msg["body"]))

    def on_alice_available(pres):
        if pres["from"].bare == "bob@localhost" and not alice_saw_bob.done():
            alice_saw_bob.set_result(str(pres["from"]))

    def on_alice_subscribed(pres):
        if not alice_subscribed.done():
            alice_subscribed.set_result(str(pres["from"]))

    bob.add_event_handler("message", on_bob_message)
    alice.add_event_handler("message", on_alice_message)
    alice.add_event_handler("got_online", on_alice_available)
    alice.add_event_handler("presence_subscribed", on_alice_subscribed)

    for c in (alice, bob):
        sessions = c.wait_until("session_start", timeout=15)
        c.connect(("127.0.0.1", PORT))
        await sessions
        c.send_presence()
        await c.get_roster()
    results["bound"] = [str(alice.boundjid), str(bob.boundjid)]
    results["encrypted"] = alice.is_secure if hasattr(alice, "is_secure") else None

    await alice.update_roster("bob@localhost", name="Bob", groups=["Friends"])
    # slixmpp re-reads with its stored version: the server answers with pushes or an empty result
    # (RFC 6121 2.6.3), so the client-side roster is what to check.
    await alice.get_roster()
    results["roster"] = sorted(str(j) for j in alice.client_roster.keys() if j != "alice@localhost")
    results["groups"] = list(alice.client_roster["bob@localhost"]["groups"])

    alice.send_presence(pto="bob@localhost", ptype="subscribe")
    results["subscribed_by"] = await asyncio.wait_for(alice_subscribed, 10)
    results["saw_bob"] = await asyncio.wait_for(alice_saw_bob, 10)
    results["subscription"] = alice.client_roster["bob@localhost"]["subscription"]

    alice.send_message(mto="bob@localhost", mbody="ping", mtype="chat")
    results["reply"] = await asyncio.wait_for(got_message, 10)

    for c in (alice, bob):
        c.disconnect()


logging.basicConfig(level=logging.ERROR)
asyncio.run(asyncio.wait_for(main(), 60))
print(json.dumps(results))
