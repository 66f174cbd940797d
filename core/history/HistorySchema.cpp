#include "history/HistorySchema.h"

#include "history/Sqlite.h"

#include <QByteArray>

namespace compresslab::history {

namespace {

// Version 1. Times are ISO 8601 UTC with milliseconds, so text order is time order.
constexpr const char *kVersion1 = R"sql(
CREATE TABLE models(
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  parameters INTEGER NOT NULL,
  bytes INTEGER NOT NULL);
CREATE TABLE datasets(
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  samples INTEGER NOT NULL);
CREATE TABLE devices(
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  profile TEXT NOT NULL);
CREATE TABLE experiments(
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('running','done','failed','cancelled','interrupted')),
  failure TEXT NOT NULL DEFAULT '',
  model_id INTEGER NOT NULL REFERENCES models(id),
  dataset_id INTEGER REFERENCES datasets(id),
  config TEXT NOT NULL,
  summary TEXT NOT NULL,
  methods TEXT NOT NULL,
  seed INTEGER NOT NULL,
  environment TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  seconds REAL,
  runner_pid INTEGER,
  runner_start TEXT,
  rerun_of INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
  reproduction TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '');
CREATE INDEX experiments_started ON experiments(started_at);
CREATE INDEX experiments_model ON experiments(model_id, started_at);
CREATE INDEX experiments_running ON experiments(status) WHERE status = 'running';
CREATE TABLE tags(
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY(experiment_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag, experiment_id);
CREATE TABLE metrics(
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  key TEXT NOT NULL,
  device_id INTEGER REFERENCES devices(id),
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  higher_is_better INTEGER NOT NULL,
  provenance TEXT NOT NULL CHECK(provenance IN ('measured','estimated')),
  detail TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX metrics_axis ON metrics(key, role, ifnull(device_id, 0), experiment_id);
CREATE INDEX metrics_experiment ON metrics(experiment_id);
CREATE TABLE layers(
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  path TEXT NOT NULL,
  type TEXT NOT NULL,
  encoding TEXT NOT NULL,
  bits REAL NOT NULL,
  sparsity REAL NOT NULL,
  error REAL NOT NULL,
  original_bytes INTEGER NOT NULL,
  deployed_bytes INTEGER NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY(experiment_id, idx)) WITHOUT ROWID;
CREATE TABLE curves(
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  curve TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY(experiment_id, curve, step)) WITHOUT ROWID;
CREATE TABLE artifacts(
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  format TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL);
CREATE INDEX artifacts_experiment ON artifacts(experiment_id);
)sql";

struct Migration {
    int version;
    const char *sql;
};
constexpr Migration kMigrations[] = {{1, kVersion1}};

} // namespace

void migrate(Connection &db, int fromVersion)
{
    if (fromVersion >= kSchemaVersion)
        return;
    Transaction t(db);
    // Holding the write lock now: another connection may have migrated (or created) it meanwhile.
    fromVersion = int(db.scalar("PRAGMA user_version").toLongLong());
    if (fromVersion >= kSchemaVersion)
        return;
    for (const Migration &m : kMigrations) {
        if (m.version <= fromVersion)
            continue;
        db.exec(m.sql);
        db.exec(("PRAGMA user_version = " + QByteArray::number(m.version)).constData());
    }
    db.exec(("PRAGMA application_id = " + QByteArray::number(kApplicationId)).constData());
    t.commit();
}

} // namespace compresslab::history
