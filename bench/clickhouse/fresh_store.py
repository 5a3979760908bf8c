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
