-- wrk script: POST /predict with the Python server's documented body, with the bearer token from the environment.
wrk.method = "POST"
wrk.body = '{"query": "what is the attention mechanism in transformers?"}'
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("EMBEDDINGS_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
