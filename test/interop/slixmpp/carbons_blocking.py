"""Interop: slixmpp's XEP-0280 (carbons) and XEP-0191 (blocking) plugins against almanac. alice connects
twice (resources one and two), both enable carbons with the plugin; bob writes to alice/one and alice/two
gets the carbon_received copy; alice/one answers and alice/two gets the carbon_sent copy. Then alice/two
reads the block list (so it gets pushes), alice/one blocks bob with the plugin: bob's next message comes
back as an error, alice's message to bob is refused, the block list holds bob; alice unblocks bob and his
next message arrives. Prints one JSON object with what each step saw; the node test
(test/interop/carbons-blocking-slixmpp.test.ts) judges it. Usage: carbons_blocking.py PORT"""
import asyncio
import json
import logging
import ssl
import sys

import slixmpp
from slixmpp import JID

PORT = int(sys.argv[1])
BOB = "bob@localhost"
results = {}


def make(jid):
    c = slixmpp.ClientXMPP(jid, "secret")
    c.ssl_context.check_hostname = False
    c.ssl_context.verify_mode = ssl.CERT_NONE
    # slixmpp 1.8 binds channels with tls-unique only, which TLS 1.3 does not define (RFC 9266).
    c.ssl_context.maximum_version = ssl.TLSVersion.TLSv1_2
    for plugin in ("xep_0030", "xep_0297", "xep_0280", "xep_0191"):
        c.register_plugin(plugin)
    return c


def summary(msg):
    return [str(msg["from"]), str(msg["to"]), msg["body"]]


def condition(msg):
    return [msg["error"]["condition"], msg["error"]["type"]]


async def main():
    one = make("alice@localhost/one")
    two = make("alice@localhost/two")
    bob = make("bob@localhost/slix")
    loop = asyncio.get_event_loop()
    carbon_received = loop.create_future()
    carbon_sent = loop.create_future()
    block_push = loop.create_future()
    unblock_push = loop.create_future()
    bob_errors = asyncio.Queue()
    one_errors = asyncio.Queue()
    one_inbox = asyncio.Queue()
    bob_inbox = asyncio.Queue()

    def settle(future, value):
        if not future.done():
            future.set_result(value)

    two.add_event_handler("carbon_received", lambda m: settle(carbon_received, summary(m["carbon_received"])))
    two.add_event_handler("carbon_sent", lambda m: settle(carbon_sent, summary(m["carbon_sent"])))
    two.add_event_handler("blocked", lambda iq: settle(block_push, sorted(str(j) for j in iq["block"]["items"])))
    two.add_event_handler("unblocked", lambda iq: settle(unblock_push, sorted(str(j) for j in iq["unblock"]["items"])))
    def chat(m):
        return m["type"] != "error" and m["body"] != ""

    # Carbon copies are messages too: only the messages bob wrote himself count as alice/one's inbox.
    one.add_event_handler("message", lambda m: chat(m) and str(m["from"]).startswith(BOB) and one_inbox.put_nowait(m["body"]))
    one.add_event_handler("message_error", lambda m: one_errors.put_nowait(m))
    bob.add_event_handler("message", lambda m: chat(m) and bob_inbox.put_nowait(summary(m)))
    bob.add_event_handler("message_error", lambda m: bob_errors.put_nowait(m))

    for c in (one, two, bob):
        started = c.wait_until("session_start", timeout=15)
        c.connect(("127.0.0.1", PORT))
        await started
        c.send_presence()

    # XEP-0280 section 4: each resource enables carbons with the plugin.
    for c in (one, two):
        res = await c["xep_0280"].enable(timeout=10)
        results.setdefault("enabled", []).append(res["type"])

    # Section 7: a chat message to alice/one is copied to alice/two as <received/>.
    bob.send_message(mto="alice@localhost/one", mbody="hello one", mtype="chat")
    results["one_got"] = await asyncio.wait_for(one_inbox.get(), 10)
    results["carbon_received"] = await asyncio.wait_for(carbon_received, 10)

    # Section 8: a chat message alice/one sends is copied to alice/two as <sent/>.
    one.send_message(mto="bob@localhost/slix", mbody="hi bob", mtype="chat")
    results["bob_got"] = await asyncio.wait_for(bob_inbox.get(), 10)
    results["carbon_sent"] = await asyncio.wait_for(carbon_sent, 10)

    # XEP-0191 3.2: alice/two reads the (empty) list, and so asks for pushes.
    listed = await two["xep_0191"].get_blocked(timeout=10)
    results["list_before"] = sorted(str(j) for j in listed["blocklist"]["items"])

    # 3.3: alice/one blocks bob; alice/two gets the push.
    res = await one["xep_0191"].block(JID(BOB), timeout=10)
    results["block"] = res["type"]
    results["block_push"] = await asyncio.wait_for(block_push, 10)

    # Bob's message is refused with service-unavailable; alice's to bob with not-acceptable.
    bob.send_message(mto="alice@localhost/one", mbody="while blocked", mtype="chat")
    results["bob_error"] = condition(await asyncio.wait_for(bob_errors.get(), 10))
    one.send_message(mto="bob@localhost/slix", mbody="to a blocked contact", mtype="chat")
    refused = await asyncio.wait_for(one_errors.get(), 10)
    results["alice_error"] = condition(refused)
    results["alice_error_blocked"] = refused.xml.find("{jabber:client}error/{urn:xmpp:blocking:errors}blocked") is not None

    listed = await one["xep_0191"].get_blocked(timeout=10)
    results["list_blocked"] = sorted(str(j) for j in listed["blocklist"]["items"])

    # 3.4: unblock; bob's next message arrives (and the one sent while blocked never did: same sender,
    # same route, so it would have come first).
    res = await one["xep_0191"].unblock(JID(BOB), timeout=10)
    results["unblock"] = res["type"]
    results["unblock_push"] = await asyncio.wait_for(unblock_push, 10)
    listed = await one["xep_0191"].get_blocked(timeout=10)
    results["list_after"] = sorted(str(j) for j in listed["blocklist"]["items"])
    bob.send_message(mto="alice@localhost/one", mbody="after unblock", mtype="chat")
    results["one_got_after"] = await asyncio.wait_for(one_inbox.get(), 10)

    for c in (one, two, bob):
        c.disconnect()


logging.basicConfig(level=logging.ERROR)
asyncio.run(asyncio.wait_for(main(), 60))
print(json.dumps(results))
