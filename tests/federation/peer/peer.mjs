// A remote fediverse server for tests/federation/test_peer.py, built on Fedify
// (@fedify/fedify from npm), a framework no one here wrote. It listens on
// 127.0.0.1, follows an author of the site under test (signing RFC 9421 first,
// as Fedify does), waits for our signed Accept and for the Create{Article} when
// that author publishes, answers with a Create{Note}, then waits for the
// Reject and Accept of that note (hidden and shown again here), the
// Update{Person} of an edited profile and the Delete{Person} of an author who
// turned federation off, sees the actor gone, follows again once it is back,
// and unfollows. Each step prints one JSON line on stdout; the Python test reads
// them and acts between them. Usage:
//   node peer.mjs http://localhost:8000 devi
import http from "node:http";
import {
  Accept,
  Article,
  Create,
  createFederation,
  Delete,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  MemoryKvStore,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
  Update,
  lookupWebFinger,
} from "@fedify/fedify";

const [site, username] = process.argv.slice(2);
if (process.env.PEER_DEBUG) {
  const { configure, getConsoleSink } = await import("@logtape/logtape");
  await configure({
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: "fedify", sinks: ["console"], lowestLevel: "debug" },
      { category: ["logtape", "meta"], sinks: ["console"], lowestLevel: "warning" },
    ],
  });
}
const say = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));
const fail = (message) => {
  say("error", { message });
  process.exit(1);
};
setTimeout(() => fail("timed out"), 170_000).unref();

const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const kv = new MemoryKvStore();
const federation = createFederation({ kv, allowPrivateAddress: true });
// What arrived in the inbox, by name: a promise each, whether it came first or
// the wait did.
const arrivals = new Map();
const slot = (name) => {
  if (!arrivals.has(name)) {
    let resolve;
    const promise = new Promise((done) => (resolve = done));
    arrivals.set(name, { promise, resolve });
  }
  return arrivals.get(name);
};
const arrive = (name, data) => slot(name).resolve(data);
const arrived = (name) => slot(name).promise;

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "budi") return null;
    const [pair] = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Budi dari Peer",
      url: new URL(`/@${identifier}`, ctx.origin),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pair.cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (ctx, identifier) => (identifier === "budi" ? [keys] : []));

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (ctx, accept) => {
    // Fedify has verified our signature and that the Accept's actor owns the key.
    // (objectId, not getObject(): Fedify refetches an embedded object from
    // another origin, and this peer does not serve its Follow.)
    arrive(`accept ${accept.objectId?.href}`, {
      actor: accept.actorId?.href,
      object: accept.objectId?.href,
    });
  })
  .on(Reject, async (ctx, reject) => {
    arrive("reject", { actor: reject.actorId?.href, object: reject.objectId?.href });
  })
  .on(Create, async (ctx, create) => {
    const object = await create.getObject();
    if (object instanceof Article) {
      arrive("article", {
        actor: create.actorId?.href,
        id: object.id?.href,
        name: object.name?.toString(),
        url: object.url?.href,
      });
    }
  })
  .on(Update, async (ctx, update) => {
    const object = await update.getObject();
    if (object instanceof Person) {
      arrive("update", { actor: update.actorId?.href, id: object.id?.href,
                         name: object.name?.toString() });
    }
  })
  .on(Delete, async (ctx, del) => {
    arrive("delete", { actor: del.actorId?.href, object: del.objectId?.href });
  });

const server = http.createServer(async (incoming, outgoing) => {
  const chunks = [];
  for await (const chunk of incoming) chunks.push(chunk);
  const url = new URL(incoming.url, `http://${incoming.headers.host}`);
  const request = new Request(url, {
    method: incoming.method,
    headers: incoming.headers,
    body: ["GET", "HEAD"].includes(incoming.method) ? undefined : Buffer.concat(chunks),
  });
  const response = await federation.fetch(request, { contextData: undefined });
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const ctx = federation.createContext(new URL(origin), undefined);
say("listening", { origin });

// Discovery: WebFinger by profile URL (Fedify's acct: lookups assume https) and by acct:.
const profile = `${site}/penulis/${username}/`;
const jrd = await lookupWebFinger(profile, { allowPrivateAddress: true });
const self = jrd?.links?.find((link) => link.rel === "self")?.href;
if (!self) fail(`no WebFinger self link for ${profile}`);
const host = new URL(site).host;
const acct = await (
  await fetch(`${site}/.well-known/webfinger?resource=acct:${username}@${host}`)
).json();
const author = await ctx.lookupObject(self);
if (!(author instanceof Person)) fail(`${self} is not a Person`);
const outbox = await author.getOutbox();
say("looked-up", {
  subject: acct.subject,
  actor: author.id.href,
  name: author.name?.toString(),
  inbox: author.inboxId?.href,
  sharedInbox: author.endpoints?.sharedInbox?.href,
  outboxTotal: outbox?.totalItems ?? null,
});

// Follow, signed by Fedify; our Accept must arrive signed. Fedify remembers which
// signature scheme our inbox took at the first knock.
const follow = new Follow({
  id: new URL(`/follows/1`, origin),
  actor: ctx.getActorUri("budi"),
  object: author.id,
});
await ctx.sendActivity({ identifier: "budi" }, author, follow, { immediate: true });
const acceptance = await arrived(`accept ${follow.id.href}`);
const spec = await kv.get(["_fedify", "httpMessageSignaturesSpec", new URL(site).origin]);
say("accepted", { ...acceptance, spec });

// The Python test publishes an article now; it must arrive here as Create{Article}.
const article = await arrived("article");
say("article", article);

const note = new Note({
  id: new URL(`/notes/1`, origin),
  attribution: ctx.getActorUri("budi"), // attributedTo
  replyTarget: new URL(article.id), // inReplyTo
  content: "<p>Tulisan yang bagus, <b>terima kasih</b>!</p>",
  to: PUBLIC_COLLECTION,
});
await ctx.sendActivity(
  { identifier: "budi" },
  author,
  new Create({ id: new URL(`/notes/1/create`, origin), actor: ctx.getActorUri("budi"),
               object: note, to: PUBLIC_COLLECTION }),
  { immediate: true },
);
say("replied", { note: note.id.href });

// A moderator there hides the reply, then shows it again.
say("rejected", await arrived("reject"));
say("restored", await arrived(`accept ${note.id.href}`));

// The author edits their profile, then turns federation off.
say("updated", await arrived("update"));
const deleted = await arrived("delete");
const gone = await fetch(author.id, { headers: { Accept: "application/activity+json" } });
say("deleted", { ...deleted, status: gone.status });

// Back on: the actor answers again and can be followed anew.
let back;
for (let tries = 0; tries < 100; tries++) {
  back = await fetch(author.id, { headers: { Accept: "application/activity+json" } });
  if (back.status === 200) break;
  await new Promise((done) => setTimeout(done, 300));
}
if (back.status !== 200) fail(`the actor did not come back: ${back.status}`);
const again = new Follow({
  id: new URL(`/follows/2`, origin),
  actor: ctx.getActorUri("budi"),
  object: author.id,
});
await ctx.sendActivity({ identifier: "budi" }, author, again, { immediate: true });
say("refollowed", await arrived(`accept ${again.id.href}`));

await ctx.sendActivity(
  { identifier: "budi" },
  author,
  new Undo({ id: new URL(`/follows/2/undo`, origin), actor: ctx.getActorUri("budi"),
             object: again }),
  { immediate: true },
);
say("unfollowed");
server.close();
process.exit(0);
