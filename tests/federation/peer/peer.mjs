// A remote fediverse server for tests/federation/test_peer.py, built on Fedify
// (@fedify/fedify from npm), a framework no one here wrote. It listens on
// 127.0.0.1, follows an author of the site under test, waits for our signed
// Accept and for the Create{Article} when that author publishes, answers with
// a Create{Note} and unfollows. Each step prints one JSON line on stdout; the
// Python test reads them and acts between them. Usage:
//   node peer.mjs http://localhost:8000 devi
import http from "node:http";
import {
  Accept,
  Article,
  Create,
  createFederation,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  MemoryKvStore,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Undo,
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
setTimeout(() => fail("timed out"), 90_000).unref();

const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
let accepted, articleArrived;
const acceptedPromise = new Promise((resolve) => (accepted = resolve));
const articlePromise = new Promise((resolve) => (articleArrived = resolve));

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
    accepted({ actor: accept.actorId?.href, object: accept.objectId?.href });
  })
  .on(Create, async (ctx, create) => {
    const object = await create.getObject();
    if (object instanceof Article) {
      articleArrived({
        actor: create.actorId?.href,
        id: object.id?.href,
        name: object.name?.toString(),
        url: object.url?.href,
      });
    }
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

// Follow, signed by Fedify; our Accept must arrive signed.
const follow = new Follow({
  id: new URL(`/follows/1`, origin),
  actor: ctx.getActorUri("budi"),
  object: author.id,
});
await ctx.sendActivity({ identifier: "budi" }, author, follow, { immediate: true });
say("accepted", await acceptedPromise);

// The Python test publishes an article now; it must arrive here as Create{Article}.
const article = await articlePromise;
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

await ctx.sendActivity(
  { identifier: "budi" },
  author,
  new Undo({ id: new URL(`/follows/1/undo`, origin), actor: ctx.getActorUri("budi"),
             object: follow }),
  { immediate: true },
);
say("unfollowed");
server.close();
process.exit(0);
