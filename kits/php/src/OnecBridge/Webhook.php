<?php
namespace OnecBridge;

/**
 * Verifies onec-bridge's webhooks, as Standard Webhooks define them (standardwebhooks.com):
 * HMAC-SHA256 of "webhook-id.webhook-timestamp.body" with the storefront's secret (whsec_ +
 * base64), base64 in `webhook-signature` as "v1,<signature>", several separated by spaces (one
 * per secret during a rotation). A message passes when any signature matches any of the secrets
 * and its timestamp is within 5 minutes of this server's clock. Compared in constant time.
 *
 *   $webhook = new \OnecBridge\Webhook([getenv('ONEC_BRIDGE_WEBHOOK_SECRET')]);
 *   $message = $webhook->verify(file_get_contents('php://input'), getallheaders());
 */
class Webhook
{
    public const TOLERANCE_SECONDS = 300;

    /** @var string[] raw keys */
    private $keys = [];

    /** @param string[]|string $secrets the current secret, and the old one during a rotation */
    public function __construct($secrets)
    {
        foreach ((array) $secrets as $secret) {
            $secret = trim((string) $secret);
            if (strncmp($secret, 'whsec_', 6) === 0) {
                $secret = substr($secret, 6);
            }
            $key = base64_decode($secret, true);
            if ($key === false || $key === '') {
                throw new \InvalidArgumentException('a webhook secret must be whsec_ followed by base64');
            }
            $this->keys[] = $key;
        }
        if (!$this->keys) {
            throw new \InvalidArgumentException('no webhook secret given');
        }
    }

    /**
     * The message as an array (type, timestamp, data) when it is genuine; WebhookException otherwise.
     * $headers in any case of their names (getallheaders() gives Webhook-Id; WordPress: pass
     * ['webhook-id' => $request->get_header('webhook-id'), …]).
     *
     * @param array<string, string|string[]> $headers
     * @return array<string, mixed>
     */
    public function verify(string $rawBody, array $headers, ?int $now = null): array
    {
        $lower = [];
        foreach ($headers as $name => $value) {
            $lower[strtolower((string) $name)] = is_array($value) ? (string) reset($value) : (string) $value;
        }
        $id = $lower['webhook-id'] ?? '';
        $timestamp = $lower['webhook-timestamp'] ?? '';
        $signatures = $lower['webhook-signature'] ?? '';
        if ($id === '' || $timestamp === '' || $signatures === '') {
            throw new WebhookException('missing webhook-id, webhook-timestamp or webhook-signature');
        }
        if (!ctype_digit($timestamp) || abs(($now ?? time()) - (int) $timestamp) > self::TOLERANCE_SECONDS) {
            throw new WebhookException('the message timestamp is more than 5 minutes off this server\'s clock (check NTP), or not a number');
        }
        $signed = $id . '.' . $timestamp . '.' . $rawBody;
        foreach ($this->keys as $key) {
            $expected = base64_encode(hash_hmac('sha256', $signed, $key, true));
            foreach (preg_split('/\s+/', trim($signatures)) ?: [] as $entry) {
                $parts = explode(',', $entry, 2);
                if (count($parts) === 2 && $parts[0] === 'v1' && hash_equals($expected, $parts[1])) {
                    $message = json_decode($rawBody, true);
                    if (!is_array($message)) {
                        throw new WebhookException('the body is not JSON');
                    }
                    $message['id'] = $id;
                    return $message;
                }
            }
        }
        throw new WebhookException('no signature matches: wrong secret, or the message was changed');
    }
}
