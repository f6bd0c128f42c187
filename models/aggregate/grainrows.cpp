#include "grainrows.h"

namespace ps {
namespace {

std::string flag(const std::string& condition) {
    return condition.empty() ? std::string("0") : "(CASE WHEN " + condition + " THEN 1 ELSE 0 END)";
}

std::string keyOf(const std::string& expression) {
    return expression.empty() ? std::string("'(none)'") : "coalesce(NULLIF(" + expression + ", ''), '(none)')";
}

}  // namespace

GrainRows::GrainRows(const db::RequestMapping& m, Grain grain) {
    const db::CallColumns& c = m.calls;
    perCall = grain == Grain::Generation && c.present();
    const std::string nullCost = m.dialect == db::Dialect::Postgres ? "CAST(NULL AS DOUBLE PRECISION)" : "NULL";
    for (size_t k = 0; k < kDimensionCount; ++k) {
        keys_[k] = dimensionKeyExpression(m, static_cast<Dimension>(k));
        has_[k] = m.hasDimension(k);
    }
    if (!perCall) {
        from = m.from;
        startSeconds = m.startSeconds;
        latency = m.latencyMs;
        cost = m.costUsd.empty() ? nullCost : m.costUsd;
        costUnknown = flag(m.costUnknown.empty() ? cost + " IS NULL" : m.costUnknown);
        error = errorFlag(m);
        refusal = refusalFlag(m);
        errorClass = m.error.empty() ? std::string("0")
                                     : "(CASE WHEN " + m.error + " THEN " + db::orLiteral(m.errorClass, "6") +
                                           " ELSE 0 END)";
        input = db::orLiteral(m.inputTokens, "0");
        output = db::orLiteral(m.outputTokens, "0");
        cached = db::orLiteral(m.cachedTokens, "0");
        evalPass = db::orLiteral(m.evalPass, "0");
        evalFail = db::orLiteral(m.evalFail, "0");
        thumbsUp = flag(m.thumbsUp);
        thumbsDown = flag(m.thumbsDown);
        return;
    }
    from = m.from + c.join;
    condition_ = c.condition;
    startSeconds = c.startSeconds;
    latency = c.latencyMs;
    cost = c.costUsd.empty() ? nullCost : c.costUsd;
    costUnknown = flag(cost + " IS NULL");
    error = flag(c.error);
    refusal = flag(c.refusal);
    errorClass = c.error.empty() ? std::string("0")
                                 : "(CASE WHEN " + c.error + " THEN " + db::orLiteral(c.errorClass, "6") + " ELSE 0 END)";
    input = db::orLiteral(c.inputTokens, "0");
    output = db::orLiteral(c.outputTokens, "0");
    cached = db::orLiteral(c.cachedTokens, "0");
    evalPass = db::orLiteral(c.evalPass, "0");
    evalFail = db::orLiteral(c.evalFail, "0");
    // Feedback is about the request: each of its calls carries it, as in memory.
    thumbsUp = flag(m.thumbsUp);
    thumbsDown = flag(m.thumbsDown);
    const std::pair<Dimension, const std::string*> own[] = {{Dimension::Model, &c.model},
                                                            {Dimension::Provider, &c.provider},
                                                            {Dimension::PromptName, &c.promptName},
                                                            {Dimension::PromptVersion, &c.promptVersion}};
    for (const auto& [d, expression] : own) {
        keys_[static_cast<size_t>(d)] = keyOf(*expression);
        has_[static_cast<size_t>(d)] = !expression->empty();
    }
}

std::string GrainRows::where(const db::RequestMapping& m, const Filter& filter, SqlParams& params,
                             const WhereOptions& options) const {
    std::string w = whereClause(m, filter, params, options);
    if (condition_.empty()) {
        return w;
    }
    return w.empty() ? " WHERE (" + condition_ + ")" : w + " AND (" + condition_ + ")";
}

}  // namespace ps
