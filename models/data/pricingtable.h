// Prices per million tokens, used when a model call carries token counts but no cost.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ps {

struct ModelPrice {
    double inputPerMTok = 0;
    double outputPerMTok = 0;
    double cachedInputPerMTok = -1;  // < 0: cached input is billed as input
};

class PricingTable {
public:
    void add(std::string model, ModelPrice price);
    void setPricesAsOf(std::string date) { pricesAsOf_ = std::move(date); }
    [[nodiscard]] const std::string& pricesAsOf() const { return pricesAsOf_; }
    [[nodiscard]] size_t size() const { return entries_.size(); }

    // Exact match (case-insensitive, ignoring a "provider/" prefix), else the longest known model name that
    // prefixes the given one, so "gpt-4.1-mini-2025-04-14" finds "gpt-4.1-mini" and not "gpt-4.1".
    [[nodiscard]] const ModelPrice* lookup(std::string_view model) const;

    static double cost(const ModelPrice& price, int64_t inputTokens, int64_t outputTokens, int64_t cachedTokens);

private:
    struct Entry {
        std::string model;  // lower case
        ModelPrice price;
    };
    std::vector<Entry> entries_;
    std::string pricesAsOf_;
};

}  // namespace ps
