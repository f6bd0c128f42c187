#include "pricingtable.h"

#include <algorithm>
#include <cctype>

namespace ps {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

void PricingTable::add(std::string model, ModelPrice price) {
    model = lower(model);
    for (auto& e : entries_) {
        if (e.model == model) {
            e.price = price;
            return;
        }
    }
    entries_.push_back({std::move(model), price});
}

const ModelPrice* PricingTable::lookup(std::string_view model) const {
    std::string key = lower(model);
    if (auto slash = key.rfind('/'); slash != std::string::npos) {
        key.erase(0, slash + 1);
    }
    const Entry* best = nullptr;
    for (const auto& e : entries_) {
        if (e.model == key) {
            return &e.price;
        }
        if (key.size() > e.model.size() && key.compare(0, e.model.size(), e.model) == 0 &&
            (key[e.model.size()] == '-' || key[e.model.size()] == '@' || key[e.model.size()] == ':') &&
            (best == nullptr || e.model.size() > best->model.size())) {
            best = &e;
        }
    }
    return best ? &best->price : nullptr;
}

double PricingTable::cost(const ModelPrice& price, int64_t inputTokens, int64_t outputTokens, int64_t cachedTokens) {
    const double input = static_cast<double>(std::max<int64_t>(inputTokens, 0));
    const double output = static_cast<double>(std::max<int64_t>(outputTokens, 0));
    const double cached = std::min(input, static_cast<double>(std::max<int64_t>(cachedTokens, 0)));
    const double cachedPrice = price.cachedInputPerMTok >= 0 ? price.cachedInputPerMTok : price.inputPerMTok;
    return ((input - cached) * price.inputPerMTok + cached * cachedPrice + output * price.outputPerMTok) / 1e6;
}

}  // namespace ps
