<?php
namespace OnecBridge;

/**
 * An idempotent webhook receiver: verifies the message, skips a webhook-id already applied (kept
 * 7 days: retries span about 27 hours), and skips a version older than the one applied for that
 * entity (messages may arrive out of order), then calls your handler. Keep what is applied in the
 * shop's own database in production (see docs/storefronts); FileStore suits one server.
 *
 *   $receiver = new \OnecBridge\Receiver(new \OnecBridge\Webhook($secret), new \OnecBridge\FileStore(__DIR__ . '/var/onec-bridge'));
 *   http_response_code($receiver->handle(file_get_contents('php://input'), getallheaders(), function (array $message) { … }));
 */
class Receiver
{
    public const KEEP_IDS_SECONDS = 7 * 24 * 3600;

    /** @var Webhook */
    private $webhook;
    /** @var FileStore */
    private $store;

    public function __construct(Webhook $webhook, FileStore $store)
    {
        $this->webhook = $webhook;
        $this->store = $store;
    }

    /**
     * The HTTP status to answer: 204 applied or already applied (or older than what is applied),
     * 400 not genuine. A handler that throws answers 500, and onec-bridge retries the message.
     *
     * @param array<string, string|string[]> $headers
     * @param callable(array<string, mixed>): void $handler
     */
    public function handle(string $rawBody, array $headers, callable $handler): int
    {
        try {
            $message = $this->webhook->verify($rawBody, $headers);
        } catch (WebhookException $error) {
            return 400;
        }
        $id = (string) $message['id'];
        $entity = self::entityOf($message);
        $this->store->once($id, $entity, function () use ($handler, $message) {
            $handler($message);
        });
        return 204;
    }

    /**
     * The entity a message is about and its version: [kind:key, version], or null (a backfill batch).
     *
     * @param array<string, mixed> $message
     * @return array{0: string, 1: int}|null
     */
    public static function entityOf(array $message): ?array
    {
        $type = (string) ($message['type'] ?? '');
        $data = is_array($message['data'] ?? null) ? $message['data'] : [];
        if ($type === 'backfill.batch' || !isset($data['version'])) {
            return null;
        }
        $kind = explode('.', $type, 2)[0];
        $key = $data['id'] ?? $data['customerId'] ?? null;
        return $key === null ? null : [$kind . ':' . $key, (int) $data['version']];
    }
}
