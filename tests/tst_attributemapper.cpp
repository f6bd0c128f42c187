// Attribute mapping, one vocabulary at a time (FORMATS.md section 2), and the precedence between vocabularies.
#include <QTest>

#include <utility>
#include <vector>

#include "attributemapper.h"

using namespace ps;

namespace {

using Attrs = std::vector<std::pair<std::string, AttrValue>>;

struct Mapped {
    StringPool strings;
    RawSpan span;
    RawEval eval;
    bool hasEval = false;
    std::string str(StringId id) const { return std::string(strings.view(id)); }
};

Mapped map(const Attrs& attrs) {
    Mapped m;
    SpanAttributeMapper mapper(m.strings);
    mapper.begin(&m.span);
    for (const auto& [k, v] : attrs) {
        mapper.apply(k, v);
    }
    mapper.finish();
    m.hasEval = mapper.spanEvaluation(&m.eval);
    return m;
}

AttrValue s(const char* v) {
    return AttrValue::text(v);
}

}  // namespace

class TestAttributeMapper : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void genAiCurrent() {
        const auto m = map({{"gen_ai.operation.name", s("chat")},
                            {"gen_ai.provider.name", s("anthropic")},
                            {"gen_ai.response.model", s("claude-sonnet-4-20250514")},
                            {"gen_ai.request.model", s("claude-sonnet-4")},
                            {"gen_ai.usage.input_tokens", AttrValue::integer(120)},
                            {"gen_ai.usage.output_tokens", AttrValue::integer(45)},
                            {"gen_ai.usage.cache_read.input_tokens", AttrValue::integer(100)},
                            {"gen_ai.usage.reasoning.output_tokens", AttrValue::integer(9)},
                            {"gen_ai.response.finish_reasons", AttrValue::firstOfArray("max_tokens")},
                            {"gen_ai.response.time_to_first_chunk", AttrValue::real(0.25)},
                            {"gen_ai.conversation.id", s("conv-1")},
                            {"error.type", s("timeout")}});
        QCOMPARE(m.span.kind, SpanKind::Llm);
        QCOMPARE(m.str(m.span.provider), std::string("anthropic"));
        QCOMPARE(m.str(m.span.model), std::string("claude-sonnet-4-20250514"));  // response beats request
        QCOMPARE(m.span.inputTokens, int64_t{120});
        QCOMPARE(m.span.outputTokens, int64_t{45});
        QCOMPARE(m.span.cachedTokens, int64_t{100});
        QCOMPARE(m.span.reasoningTokens, int64_t{9});
        QCOMPARE(m.str(m.span.finishReason), std::string("max_tokens"));
        QCOMPARE(m.span.ttftNs, int64_t{250000000});
        QCOMPARE(m.str(m.span.session), std::string("conv-1"));
        QCOMPARE(m.str(m.span.errorType), std::string("timeout"));
    }

    void genAiOperationKinds_data() {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<int>("kind");
        QTest::newRow("embeddings") << "embeddings" << int(SpanKind::Embedding);
        QTest::newRow("execute_tool") << "execute_tool" << int(SpanKind::Tool);
        QTest::newRow("invoke_agent") << "invoke_agent" << int(SpanKind::Agent);
        QTest::newRow("retrieval") << "retrieval" << int(SpanKind::Retrieval);
        QTest::newRow("generate_content") << "generate_content" << int(SpanKind::Llm);
        QTest::newRow("invoke_workflow") << "invoke_workflow" << int(SpanKind::Chain);
    }
    void genAiOperationKinds() {
        QFETCH(QString, operation);
        QFETCH(int, kind);
        const std::string op = operation.toStdString();
        QCOMPARE(int(map({{"gen_ai.operation.name", AttrValue::text(op)}}).span.kind), kind);
    }

    void deprecatedNamesLoseToCurrentWhateverTheOrder() {
        const auto older = map({{"gen_ai.system", s("openai")},
                                {"gen_ai.usage.prompt_tokens", s("11")},
                                {"gen_ai.usage.completion_tokens", AttrValue::real(5.0)}});
        QCOMPARE(older.str(older.span.provider), std::string("openai"));
        QCOMPARE(older.span.inputTokens, int64_t{11});
        QCOMPARE(older.span.outputTokens, int64_t{5});
        QCOMPARE(older.span.kind, SpanKind::Llm);  // inferred from token counts
        for (bool currentFirst : {true, false}) {
            Attrs attrs = {{"gen_ai.usage.input_tokens", AttrValue::integer(100)},
                           {"gen_ai.usage.prompt_tokens", AttrValue::integer(1)},
                           {"llm.token_count.prompt", AttrValue::integer(2)}};
            if (!currentFirst) {
                std::swap(attrs.front(), attrs.back());
            }
            QCOMPARE(map(attrs).span.inputTokens, int64_t{100});
        }
    }

    void openInference() {
        const auto m = map({{"openinference.span.kind", s("LLM")},
                            {"llm.model_name", s("gpt-4o-mini")},
                            {"llm.provider", s("openai")},
                            {"llm.token_count.prompt", s("162")},
                            {"llm.token_count.completion", s("287")},
                            {"llm.cost.prompt", AttrValue::real(0.001)},
                            {"llm.cost.completion", AttrValue::real(0.002)},
                            {"llm.prompt_template.version", s("v7")},
                            {"session.id", s("s1")},
                            {"user.id", s("u1")}});
        QCOMPARE(m.span.kind, SpanKind::Llm);
        QCOMPARE(m.str(m.span.model), std::string("gpt-4o-mini"));
        QCOMPARE(m.span.inputTokens, int64_t{162});
        QCOMPARE(m.span.outputTokens, int64_t{287});
        QVERIFY(std::abs(m.span.costUsd - 0.003) < 1e-12);  // parts summed when no total is given
        QCOMPARE(m.str(m.span.promptVersion), std::string("v7"));
        QCOMPARE(m.str(m.span.user), std::string("u1"));
        const auto total = map({{"llm.cost.prompt", AttrValue::real(0.001)}, {"llm.cost.total", AttrValue::real(0.5)}});
        QCOMPARE(total.span.costUsd, 0.5);
        QCOMPARE(int(map({{"openinference.span.kind", s("RETRIEVER")}}).span.kind), int(SpanKind::Retrieval));
        QCOMPARE(int(map({{"openinference.span.kind", s("EVALUATOR")}}).span.kind), int(SpanKind::Eval));
        QCOMPARE(int(map({{"openinference.span.kind", s("GUARDRAIL")}}).span.kind), int(SpanKind::Guardrail));
    }

    void traceloop() {
        const auto m = map({{"traceloop.span.kind", s("tool")},
                            {"traceloop.association.properties.user_id", s("u9")},
                            {"traceloop.association.properties.session_id", s("s9")},
                            {"traceloop.prompt.key", s("triage")},
                            {"traceloop.prompt.version", AttrValue::integer(3)},
                            {"traceloop.workflow.name", s("support_flow")}});
        QCOMPARE(m.span.kind, SpanKind::Tool);
        QCOMPARE(m.str(m.span.user), std::string("u9"));
        QCOMPARE(m.str(m.span.session), std::string("s9"));
        QCOMPARE(m.str(m.span.promptName), std::string("triage"));
        QCOMPARE(m.str(m.span.promptVersion), std::string("3"));
        QCOMPARE(m.str(m.span.feature), std::string("support_flow"));
        QCOMPARE(int(map({{"llm.request.type", s("chat")}}).span.kind), int(SpanKind::Llm));
        QCOMPARE(int(map({{"traceloop.span.kind", s("workflow")}}).span.kind), int(SpanKind::Chain));
    }

    void langfuse() {
        const auto m = map({{"langfuse.observation.type", s("generation")},
                            {"langfuse.observation.model.name", s("gpt-4.1")},
                            {"langfuse.observation.usage_details", s(R"J({"input": 40, "output": 12, "total": 52})J")},
                            {"langfuse.observation.cost_details", s(R"J({"input":0.00008,"output":0.000096,"total":0.000176})J")},
                            {"langfuse.observation.prompt.name", s("qa")},
                            {"langfuse.observation.prompt.version", AttrValue::integer(5)},
                            {"langfuse.observation.level", s("ERROR")},
                            {"langfuse.observation.status_message", s("upstream failed")},
                            {"langfuse.session.id", s("ls")},
                            {"langfuse.user.id", s("lu")},
                            {"langfuse.environment", s("staging")}});
        QCOMPARE(m.span.kind, SpanKind::Llm);
        QCOMPARE(m.str(m.span.model), std::string("gpt-4.1"));
        QCOMPARE(m.span.inputTokens, int64_t{40});
        QCOMPARE(m.span.outputTokens, int64_t{12});
        QCOMPARE(m.span.costUsd, 0.000176);
        QCOMPARE(m.str(m.span.promptName), std::string("qa"));
        QCOMPARE(m.str(m.span.promptVersion), std::string("5"));
        QCOMPARE(m.span.status, SpanStatus::Error);
        QCOMPARE(m.str(m.span.statusMessage), std::string("upstream failed"));
        QCOMPARE(m.str(m.span.environment), std::string("staging"));
        // OpenInference outranks Langfuse on the same span.
        const auto both = map({{"langfuse.session.id", s("lf")}, {"session.id", s("oi")}});
        QCOMPARE(both.str(both.span.session), std::string("oi"));
    }

    void plainApplicationKeys() {
        const auto m = map({{"feature", s("invoice_parser")},
                            {"prompt.name", s("extract")},
                            {"prompt.version", AttrValue::integer(42)},
                            {"tenant.id", s("northwind")},
                            {"tenant.tier", s("business")},
                            {"deployment.environment", s("canary")},
                            {"http.response.status_code", AttrValue::integer(429)}});
        QCOMPARE(m.span.kind, SpanKind::Other);  // nothing says it is a model call
        QCOMPARE(m.str(m.span.feature), std::string("invoice_parser"));
        QCOMPARE(m.str(m.span.promptVersion), std::string("42"));
        QCOMPARE(m.str(m.span.tenant), std::string("northwind"));
        QCOMPARE(m.str(m.span.tenantTier), std::string("business"));
        QCOMPARE(m.str(m.span.environment), std::string("canary"));
        QCOMPARE(m.span.httpStatus, uint16_t{429});
        QVERIFY(!m.hasEval);
    }

    void spanEvaluationAttributes() {
        const auto m = map({{"gen_ai.evaluation.name", s("correctness")},
                            {"gen_ai.evaluation.score.value", AttrValue::real(2)},
                            {"gen_ai.evaluation.score.label", s("fail")},
                            {"gen_ai.evaluation.explanation", s("wrong refund amount")}});
        QVERIFY(m.hasEval);
        QCOMPARE(m.str(m.eval.name), std::string("correctness"));
        QCOMPARE(m.eval.score, 2.0);
        QCOMPARE(m.eval.outcome, EvalOutcome::Fail);
    }

    void wrongTypesAndHugeValues() {
        const std::string huge = std::string(510, 'a') + "\xE2\x82\xAC" + std::string(1000, 'b');  // euro sign at bytes 510-512
        const auto m = map({{"gen_ai.usage.input_tokens", s("many")},
                            {"gen_ai.usage.output_tokens", AttrValue::integer(-5)},
                            {"gen_ai.request.model", AttrValue::text(huge)},
                            {"unknown.key", AttrValue::integer(1)}});
        QCOMPARE(m.span.inputTokens, int64_t{-1});
        QCOMPARE(m.span.outputTokens, int64_t{-1});
        QCOMPARE(m.strings.view(m.span.model).size(), size_t{510});  // cut before the 3-byte character
    }

    void outcomeLabels() {
        QCOMPARE(outcomeFromLabel("PASS"), EvalOutcome::Pass);
        QCOMPARE(outcomeFromLabel("incorrect"), EvalOutcome::Fail);
        QCOMPARE(outcomeFromLabel("4/5"), EvalOutcome::Unknown);
    }
};

QTEST_GUILESS_MAIN(TestAttributeMapper)
#include "tst_attributemapper.moc"
