// A newer snapshot of a Dataset from the old one plus a delta, for live sources that grow: only the delta was read
// and assembled; the old snapshot's untouched traces are copied column by column (string ids remapped, row
// indices shifted), never re-read from the source.
//
// A trace the delta holds replaces the old trace of the same id entirely (its spans, generations, evals, errors and
// the user signals joined to it), so a reader that finds new or changed rows of a known trace hands over the whole
// trace again. Requests stay ordered by start time; a new request that starts at the same time as an old one comes
// after it, as when the sources are read in full with the old rows first.
#pragma once

#include "dataset.h"

namespace ps {

struct AppendSummary {
    uint64_t newRequests = 0;       // traces the old snapshot did not have
    uint64_t replacedRequests = 0;  // traces the delta brought again (new or changed spans)
    uint64_t spans = 0;             // span rows the delta brought
};

// The union of both snapshots. The delta's sources are matched to the old ones by path (its cold-data locators
// are pointed at the matching source); a source the old snapshot does not name is added. Evals and signals join
// only traces of their own snapshot. Stats are the sum of both (a replaced trace's orphans count twice).
DatasetPtr appendToDataset(const Dataset& old, const Dataset& delta, AppendSummary* summary = nullptr);

}  // namespace ps
