"""Interop: slixmpp's XEP-0060 plugin against almanac's pubsub.localhost. alice creates and configures a
node, bob subscribes, alice publishes, bob receives the notification and retrieves the items, alice
retracts with notify and deletes the node; bob sees both. Prints one JSON object with what each step saw;
the node test (test/interop/pubsub-slixmpp.test.ts) judges it. Usage: pubsub_node_lifecycle.py PORT"""
import asyncio
import json
import logging
import ssl
import sys
from xml.etree import ElementTree as ET

import slixmpp

PORT = int(sys.argv[1])
SERVICE = "pubsub.localhost"
NODE = "interop"
results = {}


def make(jid):
    c = slixmpp.ClientXMPP(jid, "secret")
    c.ssl_context.check_hostname = False
    c.ssl_context.verify_mode = ssl.CERT_NONE
    # slixmpp 1.8 binds channels with tls-unique only, which TLS 1.3 does not define (RFC 9266).
    c.ssl_context.maximum_version = ssl.TLSVersion.TLSv1_2
    for plugin in ("xep_0004", "xep_0030", "xep_0059", "xep_0060"):
        c.register_plugin(plugin)
    return c


async def main():
    alice = make("alice@localhost/slix")
    bob = make("bob@localhost/slix")
    loop = asyncio.get_event_loop()
    published = loop.create_future()
    retracted = loop.create_future()
    deleted = loop.create_future()

    def on_publish(msg):
        item = msg["pubsub_event"]["items"]["item"]
        if not published.done():
            published.set_result((item["id"], item["payload"].find("{urn:example:interop}title").text, str(msg["from"])))

    def on_retract(msg):
        if not retracted.done():
            retracted.set_result(msg["pubsub_event"]["items"]["retract"]["id"])

    def on_delete(msg):
        if not deleted.done():
            deleted.set_result(msg["pubsub_event"]["delete"]["node"])

    bob.add_event_handler("pubsub_publish", on_publish)
    bob.add_event_handler("pubsub_retract", on_retract)
    bob.add_event_handler("pubsub_delete", on_delete)

    for c in (alice, bob):
        started = c.wait_until("session_start", timeout=15)
        c.connect(("127.0.0.1", PORT))
        await started
        c.send_presence()

    info = await alice["xep_0030"].get_info(jid=SERVICE)
    results["identities"] = [[i[0], i[1]] for i in info["disco_info"]["identities"]]
    results["has_publish_feature"] = "http://jabber.org/protocol/pubsub#publish" in info["disco_info"]["features"]

    form = alice["xep_0004"].make_form("submit")
    form.add_field(var="pubsub#title", value="Interop node")
    form.add_field(var="pubsub#max_items", value="10")
    created = await alice["xep_0060"].create_node(SERVICE, NODE, config=form)
    results["created"] = created["pubsub"]["create"]["node"]

    config = await alice["xep_0060"].get_node_config(SERVICE, NODE)
    values = config["pubsub_owner"]["configure"]["form"].get_values()
    results["title"] = values.get("pubsub#title")
    results["max_items"] = values.get("pubsub#max_items")

    change = alice["xep_0004"].make_form("submit")
    change.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/pubsub#node_config")
    change.add_field(var="pubsub#title", value="Renamed")
    await alice["xep_0060"].set_node_config(SERVICE, NODE, change)
    config = await alice["xep_0060"].get_node_config(SERVICE, NODE)
    results["renamed"] = config["pubsub_owner"]["configure"]["form"].get_values().get("pubsub#title")

    sub = await bob["xep_0060"].subscribe(SERVICE, NODE)
    results["subscription"] = sub["pubsub"]["subscription"]["subscription"]

    payload = ET.fromstring("<entry xmlns='urn:example:interop'><title>Hello from slixmpp</title></entry>")
    pub = await alice["xep_0060"].publish(SERVICE, NODE, id="item-1", payload=payload)
    results["published_id"] = pub["pubsub"]["publish"]["item"]["id"]
    results["received"] = list(await asyncio.wait_for(published, 10))

    items = await bob["xep_0060"].get_items(SERVICE, NODE)
    results["items"] = [i["id"] for i in items["pubsub"]["items"]]
    ids = await bob["xep_0030"].get_items(jid=SERVICE, node=NODE)
    results["item_ids"] = [i[2] for i in ids["disco_items"]["items"]]

    await alice["xep_0060"].retract(SERVICE, NODE, "item-1", notify=True)
    results["retracted"] = await asyncio.wait_for(retracted, 10)

    await alice["xep_0060"].delete_node(SERVICE, NODE)
    results["deleted"] = await asyncio.wait_for(deleted, 10)

    for c in (alice, bob):
        c.disconnect()


logging.basicConfig(level=logging.ERROR)
asyncio.run(asyncio.wait_for(main(), 60))
print(json.dumps(results))
