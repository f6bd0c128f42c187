#include "pricingjson.h"

#include "simdjsonbuiltin.h"

namespace ps {

std::shared_ptr<const PricingTable> parsePricingJson(std::string_view json, std::string* error) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (auto e = parser.parse(padded).get(root); e != simdjson::SUCCESS) {
        *error = std::string("pricing table is not valid JSON: ") + simdjson::error_message(e);
        return nullptr;
    }
    auto table = std::make_shared<PricingTable>();
    std::string_view asOf;
    if (root["prices_as_of"].get(asOf) == simdjson::SUCCESS) {
        table->setPricesAsOf(std::string(asOf));
    }
    simdjson::dom::array models;
    if (root["models"].get(models) != simdjson::SUCCESS) {
        *error = "pricing table has no \"models\" array";
        return nullptr;
    }
    size_t index = 0;
    for (simdjson::dom::element entry : models) {
        ++index;
        std::string_view model;
        ModelPrice price;
        double cached = -1;
        if (entry["model"].get(model) != simdjson::SUCCESS || entry["input"].get(price.inputPerMTok) ||
            entry["output"].get(price.outputPerMTok)) {
            *error = "pricing table entry " + std::to_string(index) + " needs \"model\", \"input\" and \"output\"";
            return nullptr;
        }
        if (entry["cached_input"].get(cached) == simdjson::SUCCESS) {
            price.cachedInputPerMTok = cached;
        }
        if (price.inputPerMTok < 0 || price.outputPerMTok < 0) {
            *error = "pricing table entry " + std::to_string(index) + " has a negative price";
            return nullptr;
        }
        table->add(std::string(model), price);
    }
    return table;
}

std::shared_ptr<const PricingTable> loadPricingFile(const std::string& path, std::string* error) {
    simdjson::padded_string text;
    if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) {
        *error = "cannot read pricing file " + path;
        return nullptr;
    }
    auto table = parsePricingJson(std::string_view(text.data(), text.size()), error);
    if (!table) {
        *error = path + ": " + *error;
    }
    return table;
}

std::shared_ptr<const PricingTable> bundledPricing() {
    static const std::shared_ptr<const PricingTable> table = [] {
        std::string error;
        auto t = parsePricingJson(bundledPricingJson(), &error);
        return t ? t : std::make_shared<const PricingTable>();
    }();
    return table;
}

}  // namespace ps
