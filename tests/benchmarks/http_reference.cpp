// The framework's ceiling for tests/benchmarks/ingest.sh: Qt's QHttpServer
// (the 6.4 API Hookline's REST API is built on) answering every
// POST /api/v1/events with 202 and a small JSON body, storing nothing,
// checking nothing. Hookline's ingest figures are read beside this one.
//
//   hookline-http-reference PORT
#include <QCoreApplication>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        fprintf(stderr, "usage: hookline-http-reference PORT\n");
        return 2;
    }
    QHttpServer server;
    server.route(QStringLiteral("/api/v1/events"), QHttpServerRequest::Method::Post, [](const QHttpServerRequest &) {
        return QHttpServerResponse("application/json", QByteArrayLiteral("{\"id\":\"evt_0\",\"deliveries\":1}"),
                                   QHttpServerResponse::StatusCode::Accepted);
    });
    if (server.listen(QHostAddress::LocalHost, quint16(QByteArray(argv[1]).toUInt())) == 0) {
        fprintf(stderr, "hookline-http-reference: cannot listen on port %s\n", argv[1]);
        return 1;
    }
    return app.exec();
}
