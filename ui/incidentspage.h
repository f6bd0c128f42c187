// The Incidents page: the workspace's incidents, one incident's details (title, severity, status, prompt
// version), its linked traces, its timeline of notes and recorded changes, and "Add the failing cases to the
// eval dataset", which writes the linked traces as JSON Lines (input, output, labels, trace id) with secrets
// redacted.
#pragma once

#include <QWidget>

#include <memory>
#include <optional>

#include "dataset.h"
#include "evalcaseexport.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace ps {

class IncidentListModel;
class IncidentTraceModel;
class Workspace;

class IncidentsPage : public QWidget {
    Q_OBJECT

public:
    explicit IncidentsPage(QWidget* parent = nullptr);

    void setWorkspace(std::shared_ptr<Workspace> workspace);
    void setDataset(DatasetPtr dataset);
    // Where the export reads a request's input and output text (the source's cold data); without one the
    // exported input and output are null.
    void setTextProvider(RequestTextProvider provider);
    // Reads the incidents again (after another page changed them); keeps the current incident.
    void reload();

    void selectIncident(int64_t id);
    [[nodiscard]] std::optional<int64_t> currentIncident() const { return current_; }
    // The form's fields: a new incident when none is selected, else the changes to the current one.
    bool saveForm();
    void startNewIncident();
    bool linkTrace(const QString& traceId);
    bool unlinkSelectedTrace();
    bool addNote(const QString& text);
    bool exportEvalCases(const QString& path);

    [[nodiscard]] IncidentListModel* incidentModel() const { return incidents_; }
    [[nodiscard]] IncidentTraceModel* traceModel() const { return traces_; }
    [[nodiscard]] QLineEdit* titleEdit() const { return title_; }
    [[nodiscard]] QComboBox* severityBox() const { return severity_; }
    [[nodiscard]] QComboBox* statusBox() const { return status_; }
    [[nodiscard]] QComboBox* versionBox() const { return version_; }
    [[nodiscard]] QTextBrowser* timeline() const { return timeline_; }
    [[nodiscard]] QTableView* traceView() const { return traceView_; }

Q_SIGNALS:
    void traceRequested(ps::RequestIndex request);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showIncident();
    void chooseExportFile();
    void setMessage(const QString& text);
    [[nodiscard]] std::string author() const;

    std::shared_ptr<Workspace> workspace_;
    DatasetPtr dataset_;
    RequestTextProvider text_;
    std::optional<int64_t> current_;
    IncidentListModel* incidents_;
    IncidentTraceModel* traces_;
    QTableView* list_;
    QLabel* heading_;
    QLineEdit* title_;
    QComboBox* severity_;
    QComboBox* status_;
    QComboBox* version_;
    QPushButton* save_;
    QTableView* traceView_;
    QLineEdit* traceId_;
    QTextBrowser* timeline_;
    QLineEdit* note_;
    QPushButton* export_;
    QLabel* message_;
    QWidget* details_;
};

}  // namespace ps
