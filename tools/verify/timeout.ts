import { WATERMARK_DELAY } from "../../stacks/connector/flink-statements";
import { intervalSeconds } from "../../lib/sql";

/**
 * How long `verify` waits for the flags by default. The rules flag a transaction the moment it
 * arrives when it breaks a rule on its own (too_large, too_far), and once the watermark passes it
 * when its trailing window decides (too_many_count, too_many_amount): at most the watermark delay,
 * since verify keeps ordinary traffic flowing. The window's length no longer matters. On top come
 * Confluent Cloud's checkpoint, at which Flink's transactional writes become visible (every 60 s by
 * default, as Confluent's own fraud demo notes: https://github.com/ifnesi/flink-fraud-detection),
 * and a margin for CDC capture (Oracle → Kafka, seconds) and the OpenSearch sink's batch flush.
 */
const CONFLUENT_CHECKPOINT_SECONDS = 60;
export const VERIFY_LATENCY_MARGIN_SECONDS = 120;

export function defaultTimeoutSeconds(): number {
  return intervalSeconds(WATERMARK_DELAY) + CONFLUENT_CHECKPOINT_SECONDS + VERIFY_LATENCY_MARGIN_SECONDS;
}
