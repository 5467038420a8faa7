#pragma once

#include "model/EventType.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

namespace hookline {

class AppContext;

// The event catalog: add, edit and delete types, with their group (the part
// before the first dot), description and sample payload; import and export.
class CatalogDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogDialog)

public:
    explicit CatalogDialog(AppContext &context, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    void reload();
    void showType(int row);
    void saveType();
    void deleteType();
    void importFile();
    void exportFile();

    AppContext &m_context;
    QList<EventType> m_types;
    QTableWidget *m_table;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QPlainTextEdit *m_sample;
    QLabel *m_message;
};

} // namespace hookline
