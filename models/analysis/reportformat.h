// `promptscope report` output: JSON in a stable shape (README), an aligned table for terminals, and Markdown.
#pragma once

#include <string>

#include "groupsummary.h"

namespace ps {

std::string formatReportJson(const Report& report);
std::string formatReportTable(const Report& report);
std::string formatReportMarkdown(const Report& report);

}  // namespace ps
