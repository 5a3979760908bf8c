"""A schema file loaded into a new chDB directory (ClickHouse in-process), removed afterwards: what the insert-cost
scripts measure against.

    with fresh_store.loaded(schema, "insert-cost-") as run:
        run("INSERT INTO otel.otel_traces ...")   # each statement's rows, as a list
"""
import contextlib
import os
import shutil
import tempfile

import chdb


@contextlib.contextmanager
def loaded(schema, prefix):
    work = tempfile.mkdtemp(prefix=prefix)
    db = None
    try:
        db = chdb.connect(os.path.join(work, "db"))  # kept: the cursor does not keep its connection
        cur = db.cursor()

        def run(sql):
            cur.execute(sql)
            return cur.fetchall()
        for statement in [s for s in open(schema).read().split(";\n") if s.strip()]:
            run(statement)
        yield run
    finally:
        if db is not None:
            db.close()  # first: an open engine may still write into the directory as it is removed
        shutil.rmtree(work, ignore_errors=True)


def one_block_inserts(run, block):
    """Each INSERT of `block` rows one block, on one thread, as the gateway's inserts come."""
    for setting in ("max_insert_threads = 1", "max_threads = 1", f"max_insert_block_size = {block}",
                    f"min_insert_block_size_rows = {block}", "min_insert_block_size_bytes = 0"):
        run("SET " + setting)


def attacher(run, attached):
    """A function that leaves attached, of the views in database otel, only those it is given."""
    attached = set(attached)

    def only(keep):
        for name in sorted(attached - set(keep)):
            run("DETACH TABLE otel." + name)
            attached.discard(name)
        for name in sorted(set(keep) - attached):
            run("ATTACH TABLE otel." + name)
            attached.add(name)
    return only
