// A `.promptscope` file: one SQLite file holding the loaded data (PromptScope's own tables) and the workspace
// (labels, review queue, incidents), to hand to a colleague who then sees exactly what was saved. Opening it
// reads the data from its own tables, which are never written again, and uses the file as the workspace, so
// new annotations go into it.
#pragma once

#include <string>

#include "dataset.h"
#include "datasetimport.h"

namespace ps {

inline constexpr const char* kWorkspaceFileSuffix = ".promptscope";

// Writes the dataset and a copy of the workspace at workspacePath (its tables as they are now; the workspace
// itself is only read) into target, all or nothing (see importDataset; options.replace applies). An empty
// workspacePath saves the data with an empty workspace.
DatasetWriteResult saveWorkspaceFile(const DatasetPtr& data, const std::string& workspacePath,
                                     const std::string& target, DatasetImportOptions options);

// True for a workspace file that also holds saved data (its application id is the workspace's and it has
// the own tables). Reads only.
bool isWorkspaceFileWithData(const std::string& path);

}  // namespace ps
