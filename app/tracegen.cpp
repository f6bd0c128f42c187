// tracegen: deterministic synthetic LLM production traffic for the demo, the tests and the benchmarks.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bigtrace.h"
#include "jsonout.h"
#include "otlpwriter.h"
#include "requestlogwriter.h"
#include "traffic.h"

namespace {

const char* const kUsage =
    "tracegen: writes deterministic synthetic LLM traffic.\n"
    "\n"
    "  tracegen --requests N --seed S --format otlp|jsonl --out FILE [--records FILE | --no-records]\n"
    "           [--start 2026-10-01T00:00:00Z] [--days 14] [--content-rate 0.05]\n"
    "  tracegen --traces T --spans-per-trace K --seed S --format otlp --out FILE\n"
    "\n"
    "otlp writes OTLP/JSON Lines as the OpenTelemetry Collector's file exporter does, plus a companion\n"
    "request-log file (user signals, prompt versions, deployments, tenants): FILE with .otlp.jsonl replaced by\n"
    ".records.jsonl unless --records or --no-records is given. jsonl writes request-log JSON Lines only.\n";

int fail(const std::string& message) {
    std::fprintf(stderr, "tracegen: %s\nRun 'tracegen --help' for usage.\n", message.c_str());
    return 1;
}

bool parseCount(const char* text, uint64_t* out) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (!end || *end != '\0' || text[0] == '-' || text[0] == '\0') {
        return false;
    }
    *out = v;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ps::scenario;
    TrafficOptions options;
    uint64_t traces = 0;
    uint64_t spansPerTrace = 0;
    bool haveRequests = false;
    bool haveSeed = false;
    std::string format;
    std::string outPath;
    std::string recordsPath;
    bool noRecords = false;
    parseIsoTime("2026-10-01T00:00:00Z", &options.startNs);
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        auto need = [&]() -> const char* {
            if (!v) {
                return nullptr;
            }
            ++i;
            return v;
        };
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == "--requests") {
            const char* x = need();
            if (!x || !parseCount(x, &options.requests) || options.requests == 0) {
                return fail("--requests needs a positive number");
            }
            haveRequests = true;
        } else if (a == "--seed") {
            const char* x = need();
            if (!x || !parseCount(x, &options.seed)) {
                return fail("--seed needs a number");
            }
            haveSeed = true;
        } else if (a == "--traces") {
            const char* x = need();
            if (!x || !parseCount(x, &traces) || traces == 0) {
                return fail("--traces needs a positive number");
            }
        } else if (a == "--spans-per-trace") {
            const char* x = need();
            if (!x || !parseCount(x, &spansPerTrace) || spansPerTrace == 0) {
                return fail("--spans-per-trace needs a positive number");
            }
        } else if (a == "--format") {
            const char* x = need();
            format = x ? x : "";
            if (format != "otlp" && format != "jsonl") {
                return fail("--format needs otlp or jsonl");
            }
        } else if (a == "--out") {
            const char* x = need();
            if (!x) {
                return fail("--out needs a file");
            }
            outPath = x;
        } else if (a == "--records") {
            const char* x = need();
            if (!x) {
                return fail("--records needs a file");
            }
            recordsPath = x;
        } else if (a == "--no-records") {
            noRecords = true;
        } else if (a == "--start") {
            const char* x = need();
            if (!x || !parseIsoTime(x, &options.startNs)) {
                return fail("--start needs a time such as 2026-10-01T00:00:00Z");
            }
        } else if (a == "--days") {
            uint64_t days = 0;
            const char* x = need();
            if (!x || !parseCount(x, &days) || days == 0 || days > 3650) {
                return fail("--days needs a number from 1 to 3650");
            }
            options.days = static_cast<int>(days);
        } else if (a == "--content-rate") {
            const char* x = need();
            options.contentRate = x ? std::atof(x) : -1;
            if (options.contentRate < 0 || options.contentRate > 1) {
                return fail("--content-rate needs a fraction from 0 to 1");
            }
        } else {
            return fail("unknown argument " + a);
        }
    }
    const bool bigTraces = traces > 0 || spansPerTrace > 0;
    if (outPath.empty() || format.empty() || !haveSeed || (!haveRequests && !bigTraces) ||
        (bigTraces && (traces == 0 || spansPerTrace == 0 || haveRequests))) {
        return fail("give --requests N (or --traces T --spans-per-trace K), --seed, --format and --out");
    }
    if (bigTraces && format != "otlp") {
        return fail("--traces writes OTLP only");
    }
    std::FILE* file = std::fopen(outPath.c_str(), "wb");
    if (!file) {
        return fail("cannot write " + outPath + ": " + std::strerror(errno));
    }
    bool ok = true;
    {
        JsonOut out(file);
        if (bigTraces) {
            OtlpWriter writer(out);
            for (uint64_t t = 0; t < traces; ++t) {
                generateBigTrace(options.seed, t, spansPerTrace, options.startNs + static_cast<int64_t>(t) * 3600000000000LL,
                                 5000, [&](const std::vector<Span>& spans, const std::string& traceId) {
                                     writer.writeLine("agent-runner", "production", spans, traceId);
                                 });
            }
        } else {
            const Traffic traffic(options);
            Request request;
            if (format == "jsonl") {
                writeCatalogRecords(out, traffic);
                for (uint64_t i = 0; i < traffic.count(); ++i) {
                    traffic.generate(i, request);
                    writeRequestRecord(out, request);
                    writeQualityRecords(out, request);
                    writeSignalRecords(out, request);
                }
            } else {
                std::FILE* recordsFile = nullptr;
                if (!noRecords) {
                    if (recordsPath.empty()) {
                        const std::string suffix = ".otlp.jsonl";
                        recordsPath = outPath.size() > suffix.size() &&
                                              outPath.compare(outPath.size() - suffix.size(), suffix.size(), suffix) == 0
                                          ? outPath.substr(0, outPath.size() - suffix.size()) + ".records.jsonl"
                                          : outPath + ".records.jsonl";
                    }
                    recordsFile = std::fopen(recordsPath.c_str(), "wb");
                    if (!recordsFile) {
                        return fail("cannot write " + recordsPath + ": " + std::strerror(errno));
                    }
                }
                {
                    JsonOut records(recordsFile);
                    if (recordsFile) {
                        writeCatalogRecords(records, traffic);
                    }
                    OtlpWriter writer(out);
                    for (uint64_t i = 0; i < traffic.count(); ++i) {
                        traffic.generate(i, request);
                        writer.add(request, i % 9 == 4);
                        if (recordsFile) {
                            writeSignalRecords(records, request);
                        }
                    }
                    writer.finish();
                    records.flush();
                    ok = ok && !records.failed();
                }
                if (recordsFile && std::fclose(recordsFile) != 0) {
                    ok = false;
                }
            }
        }
        out.flush();
        ok = ok && !out.failed();
    }
    if (std::fclose(file) != 0 || !ok) {
        return fail("writing failed (disk full?)");
    }
    return 0;
}
