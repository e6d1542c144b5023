#!/usr/bin/env python3
"""Writes store.hex from a SQLite store of `ballast ingest`: the latest snapshot and every journal record, in hex.

Usage: python3 extract_store.py DATA_DIR > store.hex
"""
import sqlite3
import sys

connection = sqlite3.connect(f"{sys.argv[1]}/journal.sqlite")
(sequence,) = connection.execute("SELECT MAX(sequence) FROM snapshots").fetchone()
chunks = connection.execute("SELECT data FROM snapshot_chunks WHERE sequence = ? ORDER BY chunk_index", (sequence,))
print(f"snapshot {sequence} {b''.join(bytes(chunk) for (chunk,) in chunks).hex()}")
for record_sequence, payload in connection.execute("SELECT sequence, payload FROM journal ORDER BY sequence"):
    print(f"journal {record_sequence} {bytes(payload).hex()}")
