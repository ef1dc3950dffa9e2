-- Calls, inputs and cost per day (UTC) of the calls made to the Hugging Face service over the last 30 days.
-- cost is NULL for a day whose calls had no configured price; failed calls cost 0.
SELECT date_trunc('day', timestamp, 'UTC') AS day,
       count(*)                            AS calls,
       sum(inputs)                         AS inputs,
       sum(succeeded)                      AS embedded,
       sum(cost)                           AS cost
FROM ai_calls
WHERE provider = 'huggingface'
  AND timestamp >= now() - interval '30 days'
GROUP BY 1
ORDER BY 1;
