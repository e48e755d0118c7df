"""Table definitions of the workspace database (DESIGN.md §2). Identifiers are constants."""

from __future__ import annotations

SCHEMA_VERSION = 1

TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR
        )""",
    "import_batches": """
        CREATE TABLE IF NOT EXISTS import_batches (
            batch_id VARCHAR PRIMARY KEY,
            source_key VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            sheet VARCHAR NOT NULL,
            file_format VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            uploaded_at TIMESTAMP NOT NULL,
            uploaded_by VARCHAR,
            assessor VARCHAR,
            target VARCHAR,
            target_category VARCHAR,
            title VARCHAR,
            header_row INTEGER,
            column_map VARCHAR,
            header_labels VARCHAR,
            extra_labels VARCHAR[],
            row_count INTEGER NOT NULL,
            status VARCHAR NOT NULL
        )""",
    "indicators": """
        CREATE TABLE IF NOT EXISTS indicators (
            indicator_id VARCHAR NOT NULL,  -- unique; checked after each import (an index
            batch_id VARCHAR NOT NULL,      -- would cost more than the whole rest of an import)
            source_row INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            number VARCHAR,
            level1 VARCHAR,
            level2 VARCHAR,
            name VARCHAR NOT NULL,
            criteria VARCHAR,
            requirement VARCHAR,
            score DOUBLE,
            score_text VARCHAR,
            score_kind VARCHAR NOT NULL,
            period VARCHAR,
            method VARCHAR,
            assessor VARCHAR,
            target VARCHAR,
            target_category VARCHAR,
            co_units VARCHAR,
            note VARCHAR,
            extra VARCHAR[]  -- cells of columns mapped to no field, labelled by extra_labels
        )""",
    "units": """
        CREATE TABLE IF NOT EXISTS units (
            unit_name VARCHAR PRIMARY KEY,
            category VARCHAR,
            entrusted_to VARCHAR,
            supervisor VARCHAR,
            unit_kind VARCHAR,
            category_source VARCHAR NOT NULL,
            category_rule VARCHAR,
            updated_at TIMESTAMP NOT NULL
        )""",
    # Append-only audit of human decisions; nothing updates or deletes its rows.
    "decisions": """
        CREATE TABLE IF NOT EXISTS decisions (
            decision_id VARCHAR PRIMARY KEY,
            seq INTEGER NOT NULL,
            target_kind VARCHAR NOT NULL,
            target_id VARCHAR NOT NULL,
            category VARCHAR,
            action VARCHAR NOT NULL,
            merge_into VARCHAR,
            reason VARCHAR NOT NULL,
            decided_by VARCHAR NOT NULL,
            decided_at TIMESTAMP NOT NULL,
            supersedes VARCHAR
        )""",
}

VIEWS: dict[str, str] = {}
