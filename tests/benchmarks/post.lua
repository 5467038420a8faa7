-- wrk script for tests/benchmarks/run.sh: POSTs one Hookline envelope (read
-- from $BENCH_BODY_FILE) with headers of the same names and sizes as a
-- delivery's (the signature is a fixed placeholder: wrk measures the receiver).
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "r"))
local body = f:read("*l")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Hookline-Webhooks/0.1.0"
wrk.headers["X-Webhook-Event"] = "lead.created"
wrk.headers["X-Webhook-Id"] = "wh_00000000000000000000000"
wrk.headers["X-Webhook-Delivery-Id"] = "msg_0000000000000000000000"
wrk.headers["X-Webhook-Timestamp"] = "1767225600"
wrk.headers["webhook-id"] = "msg_0000000000000000000000"
wrk.headers["webhook-timestamp"] = "1767225600"
wrk.headers["webhook-signature"] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
