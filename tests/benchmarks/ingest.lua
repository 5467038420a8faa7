-- wrk script for tests/benchmarks/ingest.sh: POSTs one event, as a product
-- would, to POST /api/v1/events with the API key in $BENCH_API_KEY. Each
-- request's data carries a counter, so no two bodies are the same.
local key = os.getenv("BENCH_API_KEY") or ""
local n = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

request = function()
    n = n + 1
    local body = '{"event":"lead.created","data":{"id":"lead_' .. n ..
        '","email":"ada@example.com","name":"Ada Lovelace","source":"web","score":' .. (n % 100) .. '}}'
    return wrk.format(nil, nil, nil, body)
end
