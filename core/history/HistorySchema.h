#pragma once
// The history's schema and its migrations. docs/history.md documents the same tables for analysts.
namespace compresslab::history {

class Connection;

constexpr int kApplicationId = 0x434C4142; // "CLAB": marks the file as a CompressLab history
constexpr int kSchemaVersion = 1;          // PRAGMA user_version this build writes

// Brings the schema from `fromVersion` to kSchemaVersion inside one transaction.
void migrate(Connection &db, int fromVersion);

} // namespace compresslab::history
