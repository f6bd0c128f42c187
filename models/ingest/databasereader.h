// Reads a log database into the DatasetBuilder: LiteLLM spend logs (one row = one request = one model call),
// Langfuse v2 (a span per trace holding the trace's user, session, tags and metadata, its observations below,
// scores as evals) or a custom SELECT. Each reader writes a SELECT that renames the product's columns to
// PromptScope's field names (FieldRowMapper), listing only the columns the table has, so tables of older
// versions still read. Rows that cannot be used are counted and located by table and row key.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "databaseschema.h"
#include "rowsubset.h"
#include "datasetbuilder.h"
#include "sourcereader.h"
#include "spandetails.h"

namespace ps {

struct DatabaseReadRequest {
    SourceIndex source;
    std::string displayName;                    // the target without its password, for issues
    std::atomic<bool>* cancel = nullptr;        // polled between rows
    std::atomic<uint64_t>* rowsDone = nullptr;  // rows read so far, for progress
    // More connections to the same database, to read a large table in ranges on `threads` threads at once.
    unsigned threads = 1;
    std::function<std::unique_ptr<db::Connection>()> openAnother;
    uint64_t rowsExpected = 0;      // the count(*) taken for progress
    uint64_t splitAboveRows = 0;    // read in ranges from this many rows on; 0 = never
    // Only these rows (a drill-down in aggregation mode): LiteLLM spend logs and custom SELECTs; null = all.
    const db::RowSubset* subset = nullptr;
};

// Rows the read will go through (a count(*) of each table read), for progress; 0 when unknown.
uint64_t countDatabaseRows(db::Connection& connection, const DatabaseSchema& schema);

ReadOutcome readDatabase(db::Connection& connection, const DatabaseSchema& schema,
                         const DatabaseReadRequest& request, DatasetBuilder& builder);

// The SELECT that renames a one-table schema's columns to PromptScope's field names (FieldRowMapper): LiteLLM's
// spend logs or the user's custom SELECT; empty for the other schemas. Live refresh filters it as a subquery.
std::string fieldSelect(const DatabaseSchema& schema);

// The field that names a row's request in fieldSelect's rows: trace_id, or span_id for a custom SELECT that
// returns no trace_id (each row is then a request of its own).
std::string_view traceKeyField(const DatabaseSchema& schema);

// Reads whole requests again, by the ids the database stores them under (trace_id values of fieldSelect's rows;
// Langfuse trace ids): every row of each, as readDatabase reads it. Live refresh hands the result over so that a
// request that got new or changed rows replaces its old self. Not for PromptScope's own tables.
ReadOutcome readDatabaseTraces(db::Connection& connection, const DatabaseSchema& schema,
                               const DatabaseReadRequest& request, DatasetBuilder& builder,
                               const std::vector<std::string>& traceIds);

// The details of one span read back from its row: found by its request's trace id (a bound parameter) and the
// 48 key bits its ColdRef keeps. Every column becomes an attribute (JSON objects such as metadata one per
// key), and the messages and response / input and output become the conversation.
SpanDetails readDatabaseSpan(db::Connection& connection, const DatabaseSchema& schema,
                             const std::string& traceId, uint64_t keyBits);

}  // namespace ps
