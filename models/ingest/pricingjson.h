// The pricing table as JSON: {"prices_as_of": "YYYY-MM-DD", "models": [{"model", "input", "output",
// "cached_input"}]} with prices in USD per million tokens. The bundled table is resources/pricing.json.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pricingtable.h"

namespace ps {

// Returns null and sets *error when the text is not a valid pricing table.
std::shared_ptr<const PricingTable> parsePricingJson(std::string_view json, std::string* error);
// Reads a pricing file from disk.
std::shared_ptr<const PricingTable> loadPricingFile(const std::string& path, std::string* error);
// The table shipped with PromptScope (compiled in).
std::shared_ptr<const PricingTable> bundledPricing();
std::string_view bundledPricingJson();

}  // namespace ps
