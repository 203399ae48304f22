#!/usr/bin/python3
"""A MongoDB wire-protocol emulator for tests: mockupdb speaks the protocol, mongomock runs the queries.

TEST-ONLY. It is not MongoDB and proves nothing about MongoDB's locking, durability or replication:
- commands run one at a time (mockupdb serialises its connection threads on one lock);
- write concern and read concern are accepted and ignored (everything is in memory);
- transactions are serialised: one open at a time. A command of another session (in a transaction
  or not) waits until it commits or aborts, so nobody reads uncommitted writes; abort restores the
  pre-images of every document the transaction wrote. A wait longer than WAIT_S gets a
  WriteConflict with the TransientTransactionError label, which drivers retry. A transaction whose
  connection closes (its process was killed) is aborted at once; an idle one after TXN_LIFETIME_S.
- `--standalone` answers `hello` as a standalone mongod (no setName) and refuses transactions the way
  one does (code 20), so the adapter's start-up check can be tested.

Usage: /usr/bin/python3 bridge.py [--port N] [--standalone]   (prints "listening <port>" when ready)
BRIDGE_TIMING=<file> in its environment: on exit it writes how long each command took, per collection.
Needs Debian's python3-mockupdb and python3-mongomock.
"""
import argparse
import copy
import datetime
import os
import socket
import sys
import threading
import time

import mockupdb
import mongomock
import mongomock.collection
from mongomock import aggregate as mongomock_aggregate
from mongomock.filtering import filter_applies
from bson.int64 import Int64
from pymongo import ReturnDocument

# BRIDGE_TIMING=<file>: on exit, write each command's count and time (waits for a transaction included).
TIMING = {} if os.environ.get('BRIDGE_TIMING') else None
WAIT_S = 10.0  # how long a command waits for another session's transaction
TXN_LIFETIME_S = 60.0  # an abandoned transaction is aborted after this long without a command (as mongod does)

META = {'$db', 'lsid', 'txnNumber', 'startTransaction', 'autocommit', 'readConcern', 'writeConcern',
        '$clusterTime', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'comment', 'maxTimeMS'}
# Commands that touch no data: never wait for a transaction.
NO_DATA = {'hello', 'ismaster', 'isMaster', 'ping', 'buildInfo', 'buildinfo', 'getParameter', 'endSessions',
           'killCursors', 'connectionStatus', 'getCmdLineOpts', 'hostInfo', 'serverStatus', 'whatsmyuri',
           'commitTransaction', 'abortTransaction', 'saslStart', 'getFreeMonitoringStatus', 'listDatabases'}


# --- speed ------------------------------------------------------------------------------------
# mongomock has no indexes: every find, update and delete runs its (slow, pure Python) matcher over
# the whole collection, and so does every unique-index check on insert, which makes filling a
# collection O(N^2). The heavy tests (thousands of doc updates, hundreds of messages) spent nearly
# all their time there (a 170-document insert into a 2,000-entry log: ~0.5 s). Two shortcuts, each
# giving mongomock's own answer:
# - a filter's top-level equalities and ranges on plain scalars (`{doc: name, id: {$gt: 5}}`, also
#   inside `$and`) are checked in plain Python first; only documents that pass meet the matcher. The
#   pre-check keeps a superset (an array field always passes: {k: v} matches an array holding v; a
#   value of another type than the bound is left to the matcher);
# - unique indexes are checked through a hash of each document's key (UniqueKeys) instead of a scan.
SCALARS = (str, int, float, bool)
MISSING = object()


NUMBERS = (int, float)
RANGES = {'$gt': lambda a, b: a > b, '$gte': lambda a, b: a >= b, '$lt': lambda a, b: a < b, '$lte': lambda a, b: a <= b}


def comparable(a, b):
    """Both numbers (not bools) or both strings: Python orders them as MongoDB does."""
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return (isinstance(a, NUMBERS) and isinstance(b, NUMBERS)) or (isinstance(a, str) and isinstance(b, str))


def conditions(filt, out=None):
    """(field, test) pairs a matching document must pass: plain equalities and ranges, also inside $and."""
    out = [] if out is None else out
    if not isinstance(filt, dict):
        return out
    for key, value in filt.items():
        if key == '$and' and isinstance(value, list):
            for part in value:
                conditions(part, out)
        elif key.startswith('$') or '.' in key:
            continue
        elif isinstance(value, SCALARS):
            out.append((key, lambda have, v=value: have == v))
        elif isinstance(value, dict) and value and all(op in RANGES for op in value):
            for op, bound in value.items():
                if isinstance(bound, (str,) + NUMBERS) and not isinstance(bound, bool):
                    # A value of another type is left to the matcher (kept).
                    out.append((key, lambda have, f=RANGES[op], b=bound: not comparable(have, b) or f(have, b)))
    return out


def prefiltered(store, filt):
    """The documents of a mongomock CollectionStore that may match `filt` (a superset), cheaply."""
    store._remove_expired_documents()  # TTL indexes, as store.documents does
    documents = list(store._documents.values())
    tests = conditions(filt)
    if not tests:
        return documents
    out = []
    for doc in documents:
        for key, test in tests:
            have = doc.get(key, MISSING)
            if have is MISSING or (not isinstance(have, (list, tuple)) and not test(have)):
                break
        else:
            out.append(doc)
    return out


def _iter_documents(self, filter):
    # As mongomock's own (collection.py), with the cheap pre-check first.
    if self._store.is_empty:
        filter_applies(filter, {})
    return (document for document in prefiltered(self._store, filter) if filter_applies(filter, document))


def hashable(value):
    if isinstance(value, list):
        return ('[]',) + tuple(hashable(v) for v in value)
    if isinstance(value, dict):
        return ('{}',) + tuple((k, hashable(v)) for k, v in value.items())
    return value


class UniqueKeys:
    """Per collection: unique index name -> key tuple -> ids of documents that had that key.

    Every document is recorded under its current key: all of them when built, and each one mongomock
    checks (it checks every insert and every update that changed a document). Entries are never
    removed, so a lookup re-reads each candidate and counts it only if it still exists and still has
    the key. Built again when the indexes change; the bridge drops it when it restores pre-images.
    """

    def __init__(self, store):
        self.specs = {name: (tuple(ix['key']), ix.get('sparse'), ix.get('partialFilterExpression'))
                      for name, ix in store.indexes.items() if ix.get('unique')}
        self.ids = {name: {} for name in self.specs}
        for doc in store._documents.values():
            for name in self.specs:
                self.ids[name].setdefault(self.key(name, doc), set()).add(doc['_id'])

    def key(self, name, doc):
        out = []
        for field, _ in self.specs[name][0]:
            try:
                out.append(hashable(mongomock.helpers.get_value_by_dot(doc, field)))
            except KeyError:
                out.append(None)
        return tuple(out)

    def fresh(self, store):
        return self.specs == {name: (tuple(ix['key']), ix.get('sparse'), ix.get('partialFilterExpression'))
                              for name, ix in store.indexes.items() if ix.get('unique')}


def _ensure_uniques(self, new_data):
    # mongomock's rule (collection.py), answered from UniqueKeys; new_data is already in the store.
    store = self._store
    keys = getattr(store, 'unique_keys', None)
    if keys is None or not keys.fresh(store):
        keys = store.unique_keys = UniqueKeys(store)
    for name, (_, sparse, partial) in keys.specs.items():
        key = keys.key(name, new_data)
        ids = keys.ids[name].setdefault(key, set())
        ids.add(new_data['_id'])
        if sparse and set(key) == {None}:
            continue
        if partial is not None and not filter_applies(partial, new_data):
            continue
        same = 0
        for _id in ids:
            doc = store._documents.get(_id)
            if doc is not None and keys.key(name, doc) == key and (partial is None or filter_applies(partial, doc)):
                same += 1
        if same > 1:
            raise mongomock.DuplicateKeyError('E11000 Duplicate Key Error', 11000)


mongomock.collection.Collection._iter_documents = _iter_documents
mongomock.collection.Collection._ensure_uniques = _ensure_uniques


class CommandError(Exception):
    def __init__(self, code, code_name, message, labels=None):
        super().__init__(message)
        self.code, self.code_name, self.labels = code, code_name, labels or []

    def reply(self):
        out = {'ok': 0, 'errmsg': str(self), 'code': self.code, 'codeName': self.code_name}
        if self.labels:
            out['errorLabels'] = self.labels
        return out


class Bridge:
    def __init__(self, server, port, standalone):
        self.server = server
        self.port = port
        self.standalone = standalone
        self.client = mongomock.MongoClient()
        # mockupdb holds server._lock while a handler runs; waiting on a Condition over it lets
        # the transaction's own session run meanwhile.
        self.cond = threading.Condition(server._lock)
        self.owner = None  # (lsid bytes, txnNumber) of the open transaction
        self.owner_seen = 0.0
        self.owner_client = None  # the connection that last ran a command of the open transaction
        self.undo = {}  # (db, coll) -> {_id: pre-image or None (created by the transaction)}
        self.committed = set()  # transactions already committed (a retried commit is answered ok)

    # --- transactions -------------------------------------------------------------------------
    @staticmethod
    def txn_of(doc):
        lsid = doc.get('lsid')
        if lsid is None or 'txnNumber' not in doc or doc.get('autocommit', True) is not False:
            return None
        return (repr(lsid['id']), int(doc['txnNumber']))

    def wait_free(self, mine):
        deadline = time.monotonic() + WAIT_S
        while self.owner is not None and self.owner != mine:
            if time.monotonic() - self.owner_seen > TXN_LIFETIME_S:
                self.rollback()
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise CommandError(112, 'WriteConflict', 'emulator: another transaction is open (transactions are serialised)',
                                   ['TransientTransactionError'])
            self.cond.wait(min(left, 1.0))

    def rollback(self):
        for (db, coll), docs in self.undo.items():
            store = self.client[db][coll]._store
            store.unique_keys = None  # pre-images come back without mongomock's checks: rebuild
            for _id, pre in docs.items():
                if pre is None:
                    if _id in store:
                        del store[_id]
                else:
                    store[_id] = pre
        self.end_txn()

    def end_txn(self):
        self.owner = None
        self.owner_client = None
        self.undo = {}
        self.cond.notify_all()

    def remember(self, db, coll, filt):
        """Before a write in a transaction: keep the pre-image of every document it may change."""
        if self.owner is None:
            return
        docs = self.undo.setdefault((db, coll), {})
        for doc in prefiltered(self.client[db][coll]._store, filt):
            if doc['_id'] not in docs and filter_applies(filt, doc):
                docs[doc['_id']] = copy.deepcopy(doc)

    def created(self, db, coll, ids):
        if self.owner is None:
            return
        docs = self.undo.setdefault((db, coll), {})
        for _id in ids:
            docs.setdefault(_id, None)

    # --- dispatch -----------------------------------------------------------------------------
    def handle(self, request):
        started = time.perf_counter()
        try:
            doc = dict(request.doc)
            reply = self.run(request.command_name, doc, request._client)
        except CommandError as err:
            reply = err.reply()
        except Exception as err:  # a bug or a mongomock gap: answer like a server error, keep serving
            reply = {'ok': 0, 'errmsg': 'emulator: %s: %s' % (type(err).__name__, err), 'code': 1, 'codeName': 'InternalError'}
        if TIMING is not None:
            target = request.doc.get(request.command_name)
            key = '%s:%s' % (request.command_name, target) if isinstance(target, str) else request.command_name
            n, total = TIMING.get(key, (0, 0.0))
            TIMING[key] = (n + 1, total + time.perf_counter() - started)
        request.replies(reply)
        return True

    def closed(self, client):
        """A connection closed (its process may have been killed): abort the transaction it was running."""
        if self.owner is not None and self.owner_client is client:
            self.rollback()

    def run(self, name, doc, client=None):
        if name in ('hello', 'ismaster', 'isMaster'):
            return self.hello()
        txn = self.txn_of(doc)
        if txn is not None and self.standalone:
            raise CommandError(20, 'IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos')
        if name == 'commitTransaction':
            if self.owner == txn:
                self.committed.add(txn)
                self.end_txn()
                return {'ok': 1}
            if txn in self.committed:
                return {'ok': 1}
            raise CommandError(251, 'NoSuchTransaction', 'no such transaction to commit', ['TransientTransactionError'])
        if name == 'abortTransaction':
            if self.owner == txn:
                self.rollback()
            return {'ok': 1}
        if name not in NO_DATA:
            if txn is not None and doc.get('startTransaction'):
                self.wait_free(txn)
                self.owner, self.undo = txn, {}
            elif txn is not None and self.owner != txn:
                raise CommandError(251, 'NoSuchTransaction', 'transaction is not open (aborted or timed out)', ['TransientTransactionError'])
            else:
                self.wait_free(txn)
            if self.owner is not None:
                self.owner_seen = time.monotonic()
                self.owner_client = client
        # Set after any wait: another connection's command may have run meanwhile.
        self.db_name = doc.get('$db', 'admin')
        for key in META:
            doc.pop(key, None)
        return getattr(self, 'cmd_' + name, self.unsupported)(doc, name)

    def unsupported(self, doc, name):
        raise CommandError(59, 'CommandNotFound', 'emulator: command %r is not supported' % name)

    def hello(self):
        me = '127.0.0.1:%d' % self.port
        out = {'ismaster': True, 'isWritablePrimary': True, 'helloOk': True, 'maxBsonObjectSize': 16 * 1024 * 1024,
               'maxMessageSizeBytes': 48000000, 'maxWriteBatchSize': 100000, 'localTime': datetime.datetime.now(datetime.timezone.utc),
               'logicalSessionTimeoutMinutes': 30, 'connectionId': 1, 'minWireVersion': 0, 'maxWireVersion': 17,
               'readOnly': False, 'ok': 1}
        if not self.standalone:
            # Labelled: a one-node "replica set" so drivers allow transactions. Not a real one.
            out.update({'setName': 'mongomock-emulator', 'setVersion': 1, 'hosts': [me], 'primary': me, 'me': me,
                        'tags': {'emulator': 'mongomock, not MongoDB'}})
        return out

    # --- admin --------------------------------------------------------------------------------
    def cmd_ping(self, doc, _):
        return {'ok': 1}

    def cmd_buildInfo(self, doc, _):
        return {'version': '7.0.0-mongomock-emulator', 'versionArray': [7, 0, 0, 0], 'ok': 1}
    cmd_buildinfo = cmd_buildInfo

    def cmd_endSessions(self, doc, _):
        return {'ok': 1}

    def cmd_killCursors(self, doc, _):
        return {'cursorsKilled': doc.get('cursors', []), 'cursorsNotFound': [], 'cursorsAlive': [], 'cursorsUnknown': [], 'ok': 1}

    def cmd_getMore(self, doc, _):
        raise CommandError(43, 'CursorNotFound', 'emulator: every cursor is returned whole in its first batch')

    def cmd_listDatabases(self, doc, _):
        return {'databases': [{'name': n, 'sizeOnDisk': 0, 'empty': False} for n in self.client.list_database_names()], 'ok': 1}

    def cmd_dropDatabase(self, doc, _):
        self.client.drop_database(self.db_name)
        return {'ok': 1}

    # --- collections and indexes --------------------------------------------------------------
    def coll(self, name):
        return self.client[self.db_name][name]

    def cmd_create(self, doc, _):
        if doc['create'] not in self.client[self.db_name].list_collection_names():
            self.client[self.db_name].create_collection(doc['create'])
        return {'ok': 1}

    def cmd_drop(self, doc, _):
        self.coll(doc['drop']).drop()
        return {'ok': 1}

    def cmd_listCollections(self, doc, _):
        names = self.client[self.db_name].list_collection_names()
        batch = [{'name': n, 'type': 'collection', 'options': {}, 'info': {'readOnly': False}} for n in names]
        return self.cursor(batch, '$cmd.listCollections')

    def cmd_createIndexes(self, doc, _):
        coll = self.coll(doc['createIndexes'])
        for spec in doc['indexes']:
            opts = {k: v for k, v in spec.items() if k in ('unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds')}
            coll.create_index(list(spec['key'].items()), name=spec['name'], **opts)
        return {'ok': 1, 'createdCollectionAutomatically': False, 'numIndexesBefore': 1, 'numIndexesAfter': 1}

    def cmd_listIndexes(self, doc, _):
        info = self.coll(doc['listIndexes']).index_information()
        batch = []
        for name, spec in info.items():
            item = {'v': 2, 'key': dict(spec['key']), 'name': name}
            for k in ('unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'):
                if k in spec:
                    item[k] = spec[k]
            batch.append(item)
        return self.cursor(batch, doc['listIndexes'])

    def cmd_dropIndexes(self, doc, _):
        coll = self.coll(doc['dropIndexes'])
        if doc['index'] == '*':
            coll.drop_indexes()
        else:
            coll.drop_index(doc['index'])
        return {'ok': 1}

    # --- reads --------------------------------------------------------------------------------
    def cursor(self, batch, coll):
        return {'cursor': {'id': Int64(0), 'ns': '%s.%s' % (self.db_name, coll), 'firstBatch': batch}, 'ok': 1}

    def cmd_find(self, doc, _):
        cur = self.coll(doc['find']).find(doc.get('filter') or {}, doc.get('projection'))
        if doc.get('sort'):
            cur = cur.sort(list(doc['sort'].items()))
        if doc.get('skip'):
            cur = cur.skip(doc['skip'])
        if doc.get('limit'):
            cur = cur.limit(abs(doc['limit']))
        return self.cursor(list(cur), doc['find'])

    def cmd_aggregate(self, doc, _):
        # mongomock's aggregate copies the whole collection before its first stage; a leading
        # $match is run as a find instead, so only the matching documents are copied.
        coll, pipeline = self.coll(doc['aggregate']), list(doc['pipeline'])
        if pipeline and '$match' in pipeline[0]:
            docs = list(coll.find(pipeline.pop(0)['$match']))
        else:
            docs = list(coll.find())
        return self.cursor(list(mongomock_aggregate.process_pipeline(docs, coll.database, pipeline, None)), doc['aggregate'])

    def cmd_count(self, doc, _):
        kwargs = {k: doc[k] for k in ('skip', 'limit') if doc.get(k)}
        return {'n': self.coll(doc['count']).count_documents(doc.get('query') or {}, **kwargs), 'ok': 1}

    def cmd_distinct(self, doc, _):
        return {'values': self.coll(doc['distinct']).distinct(doc['key'], doc.get('query') or {}), 'ok': 1}

    # --- writes -------------------------------------------------------------------------------
    @staticmethod
    def write_error(index, err):
        code = getattr(err, 'code', None) or 2
        return {'index': index, 'code': code, 'errmsg': str(err)}

    def cmd_insert(self, doc, _):
        name, coll, n, errors = doc['insert'], self.coll(doc['insert']), 0, []
        for i, item in enumerate(doc.get('documents', [])):
            try:
                coll.insert_one(item)
                self.created(self.db_name, name, [item['_id']])
                n += 1
            except mongomock.DuplicateKeyError as err:
                errors.append({'index': i, 'code': 11000, 'errmsg': 'E11000 duplicate key error collection: %s.%s %s' % (self.db_name, name, err)})
                if doc.get('ordered', True):
                    break
        out = {'n': n, 'ok': 1}
        if errors:
            out['writeErrors'] = errors
        return out

    def cmd_update(self, doc, _):
        name, coll = doc['update'], self.coll(doc['update'])
        n = modified = 0
        upserted, errors = [], []
        for i, u in enumerate(doc.get('updates', [])):
            if isinstance(u['u'], list):
                raise CommandError(2, 'BadValue', 'emulator: update pipelines are not supported by mongomock')
            try:
                self.remember(self.db_name, name, u['q'])
                kwargs = {'upsert': u.get('upsert', False)}
                if u.get('arrayFilters'):
                    kwargs['array_filters'] = u['arrayFilters']
                is_replace = not any(k.startswith('$') for k in u['u'])
                if is_replace:
                    res = coll.replace_one(u['q'], u['u'], upsert=kwargs['upsert'])
                elif u.get('multi'):
                    res = coll.update_many(u['q'], u['u'], **kwargs)
                else:
                    res = coll.update_one(u['q'], u['u'], **kwargs)
                n += res.matched_count
                modified += res.modified_count
                if res.upserted_id is not None:
                    n += 1
                    upserted.append({'index': i, '_id': res.upserted_id})
                    self.created(self.db_name, name, [res.upserted_id])
            except mongomock.DuplicateKeyError as err:
                errors.append({'index': i, 'code': 11000, 'errmsg': 'E11000 duplicate key error collection: %s.%s %s' % (self.db_name, name, err)})
                if doc.get('ordered', True):
                    break
        out = {'n': n, 'nModified': modified, 'ok': 1}
        if upserted:
            out['upserted'] = upserted
        if errors:
            out['writeErrors'] = errors
        return out

    def cmd_delete(self, doc, _):
        name, coll, n = doc['delete'], self.coll(doc['delete']), 0
        for d in doc.get('deletes', []):
            self.remember(self.db_name, name, d['q'])
            res = coll.delete_one(d['q']) if d.get('limit') == 1 else coll.delete_many(d['q'])
            n += res.deleted_count
        return {'n': n, 'ok': 1}

    def cmd_findAndModify(self, doc, _):
        name, coll = doc['findAndModify'], self.coll(doc['findAndModify'])
        query = doc.get('query') or {}
        sort = list(doc['sort'].items()) if doc.get('sort') else None
        projection = doc.get('fields')
        self.remember(self.db_name, name, query)
        existed = coll.find_one(query) is not None
        try:
            if doc.get('remove'):
                value = coll.find_one_and_delete(query, projection=projection, sort=sort)
                return {'lastErrorObject': {'n': 1 if value else 0}, 'value': value, 'ok': 1}
            update = doc['update']
            if isinstance(update, list):
                raise CommandError(2, 'BadValue', 'emulator: update pipelines are not supported by mongomock')
            ret = ReturnDocument.AFTER if doc.get('new') else ReturnDocument.BEFORE
            upsert = doc.get('upsert', False)
            if any(k.startswith('$') for k in update):
                value = coll.find_one_and_update(query, update, projection=projection, sort=sort, upsert=upsert, return_document=ret)
            else:
                value = coll.find_one_and_replace(query, update, projection=projection, sort=sort, upsert=upsert, return_document=ret)
        except mongomock.DuplicateKeyError as err:
            raise CommandError(11000, 'DuplicateKey', 'E11000 duplicate key error collection: %s.%s %s' % (self.db_name, name, err))
        last = {'n': 1 if (existed or upsert) else 0, 'updatedExisting': existed}
        if not existed and upsert:
            created = coll.find_one(query)
            if created is not None:
                last['upserted'] = created['_id']
                self.created(self.db_name, name, [created['_id']])
        return {'lastErrorObject': last, 'value': value, 'ok': 1}


class Server(mockupdb.MockupDB):
    bridge = None

    def _server_loop(self, client, client_addr):
        # Replies are small writes: without TCP_NODELAY each round trip waits on delayed ACKs.
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            return super()._server_loop(client, client_addr)
        finally:
            with self._lock:
                self.bridge.closed(client)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--standalone', action='store_true')
    args = parser.parse_args()
    server = Server(port=args.port or None, request_timeout=int(1e6))
    bridge = None

    def responder(request):
        return bridge.handle(request)

    server.autoresponds(responder)
    port = server.run()
    bridge = Bridge(server, port, args.standalone)
    server.bridge = bridge
    print('MongoDB adapter — mongomock emulator, not MongoDB (%s)' % ('standalone' if args.standalone else 'one-node replica set, transactions serialised'), flush=True)
    print('listening %d' % port, flush=True)
    try:
        sys.stdin.read()  # runs until the parent closes stdin (or kills us)
    finally:
        server.stop()
        if TIMING is not None:
            with open(os.environ['BRIDGE_TIMING'], 'w') as out:
                for key, (n, total) in sorted(TIMING.items(), key=lambda kv: -kv[1][1]):
                    out.write('%-40s %7d %9.3f s %8.2f ms\n' % (key, n, total, 1000 * total / n))


if __name__ == '__main__':
    main()
