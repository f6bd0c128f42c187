#include "connectionprobe.h"

#include <algorithm>
#include <cctype>

namespace ps::live {
namespace {

bool mentions(std::string_view text, std::string_view what) {
    const auto it = std::search(text.begin(), text.end(), what.begin(), what.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != text.end();
}

std::string joined(const std::vector<std::string>& names, size_t limit) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < limit; ++i) {
        out += (i ? ", " : "") + names[i];
    }
    if (names.size() > limit) {
        out += ", … (" + std::to_string(names.size()) + " in all)";
    }
    return out;
}

// A password the user typed must never come back in a message, even when a driver quotes its input.
std::string withoutSecret(std::string message, const std::string& password) {
    if (password.empty()) {
        return message;
    }
    for (size_t pos = 0; (pos = message.find(password, pos)) != std::string::npos;) {
        message.replace(pos, password.size(), "***");
        pos += 3;
    }
    return message;
}

}  // namespace

ProbeProblem classifyConnectError(std::string_view message) {
    if (mentions(message, "password authentication failed") || mentions(message, "authentication failed") ||
        mentions(message, "no password supplied") || mentions(message, "password is required")) {
        return ProbeProblem::Authentication;
    }
    if (mentions(message, "refused") || mentions(message, "could not translate host name") ||
        mentions(message, "timeout") || mentions(message, "timed out") || mentions(message, "no route to host") ||
        mentions(message, "could not connect")) {
        return ProbeProblem::NotReachable;
    }
    if ((mentions(message, "database") && mentions(message, "does not exist")) || mentions(message, "no such file") ||
        mentions(message, "no such database") || mentions(message, "not a sqlite database") ||
        mentions(message, "unable to open") || mentions(message, "not a database")) {
        return ProbeProblem::NoSuchDatabase;
    }
    return ProbeProblem::Other;
}

ProbeResult probeConnection(const ProbeRequest& request) {
    ProbeResult result;
    const std::string shown = db::withoutPassword(request.source);
    const auto target = db::parseTarget(request.source);
    if (!target) {
        result.problem = ProbeProblem::NoSuchDatabase;
        result.message = shown + " is neither a SQLite file nor a postgresql:// address.";
        return result;
    }
    db::ConnectOptions options;
    options.password = request.password;
    options.connectTimeoutSeconds = request.connectTimeoutSeconds;
    std::string error;
    std::unique_ptr<db::Connection> connection = db::openConnection(*target, options, &error);
    if (!connection) {
        error = withoutSecret(db::withoutPassword(error), request.password);
        result.problem = classifyConnectError(error);
        switch (result.problem) {
        case ProbeProblem::Authentication:
            result.message = "Authentication failed: the server refused this user name and password. " + error;
            break;
        case ProbeProblem::NotReachable:
            result.message = "Connection refused or unreachable: is the server running, and are host and port "
                             "right? " + error;
            break;
        case ProbeProblem::NoSuchDatabase:
            result.message = "No such database: " + error;
            break;
        default:
            result.message = "Could not connect: " + error;
            break;
        }
        return result;
    }
    const std::string where = connection->displayName();
    if (request.customQuery) {
        const CustomSelectCheck check = checkCustomSelect(*connection, request.sql);
        result.schema = DatabaseSchemaKind::CustomSelect;
        if (!check.error.empty()) {
            const std::string why = withoutSecret(check.error, request.password);
            const bool noTable = mentions(why, "no such table") ||
                                 (mentions(why, "relation") && mentions(why, "does not exist"));
            result.problem = noTable ? ProbeProblem::NoSuchTable : ProbeProblem::BadQuery;
            result.message = (noTable ? "No such table: " : "The query failed: ") + why;
            return result;
        }
        if (!check.missing.empty()) {
            result.problem = ProbeProblem::BadQuery;
            result.message = "Connected to " + where + ", but the query does not return " + joined(check.missing, 8) +
                             ". Name its columns after the fields listed below.";
            return result;
        }
        result.problem = ProbeProblem::None;
        result.message = "Connected to " + where + ". " +
                         (check.empty ? std::string("The query runs but returned no row yet, so its columns could "
                                                    "not be checked.")
                                      : std::string("The query returns the required fields."));
        if (check.noDuration) {
            result.message += " Without end_time or duration_ms every span lasts 0 ms.";
        }
        if (!check.unknown.empty()) {
            result.message += " Ignored columns (not PromptScope fields): " + joined(check.unknown, 8) + ".";
        }
        return result;
    }
    const DatabaseSchema schema = detectSchema(*connection);
    result.schema = schema.kind;
    if (schema.unreadable) {
        result.problem = ProbeProblem::Other;
        result.message = "Connected to " + where + ", but its tables could not be read: " + schema.error;
        return result;
    }
    if (schema.kind == DatabaseSchemaKind::Unknown) {
        const std::vector<std::string>& tables = schema.tablesFound;
        result.problem = ProbeProblem::UnknownSchema;
        result.message = "Connected to " + where + ", but it holds no log tables PromptScope knows (LiteLLM's "
                         "\"LiteLLM_SpendLogs\", Langfuse's traces and observations, or PromptScope's ps_spans). " +
                         (tables.empty() ? std::string("It has no tables at all.")
                                         : "Its tables: " + joined(tables, 8) + ".") +
                         " Choose \"Custom SELECT\" to map your own table.";
        return result;
    }
    result.problem = ProbeProblem::None;
    result.message = "Connected to " + where + ": " + std::string(schemaKindName(result.schema)) + " tables found.";
    return result;
}

}  // namespace ps::live
