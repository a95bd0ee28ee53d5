<?php
/**
 * A webhook endpoint for onec-bridge: verify, apply each message once, newest version wins.
 * Put it where the shop answers HTTPS (e.g. /local/onec-bridge/webhook.php in 1C-Bitrix) and give
 * its URL to onec-bridge. Settings by environment (or write them here):
 *   ONEC_BRIDGE_WEBHOOK_SECRET  whsec_… (two, comma-separated, during a rotation)
 *   ONEC_BRIDGE_STORE_DIR       a folder outside the web root, writable by PHP
 * Try it: php -S 127.0.0.1:8090 examples/webhook.php
 */
require_once __DIR__ . '/../autoload.php';

$secrets = array_filter(array_map('trim', explode(',', (string) getenv('ONEC_BRIDGE_WEBHOOK_SECRET'))));
$dir = getenv('ONEC_BRIDGE_STORE_DIR') ?: sys_get_temp_dir() . '/onec-bridge-receiver';
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    return;
}
$receiver = new OnecBridge\Receiver(new OnecBridge\Webhook($secrets), new OnecBridge\FileStore($dir));
$headers = function_exists('getallheaders') ? getallheaders() : [];
$status = $receiver->handle((string) file_get_contents('php://input'), $headers, function (array $message) use ($dir): void {
    // Here the shop applies the message: a balance into the user's field, an order's status…
    switch ($message['type']) {
        case 'bonus.updated':
            // e.g. $USER->Update($userId, ['UF_BONUS_AVAILABLE' => $message['data']['availableMinor']]);
            break;
        case 'order.status_changed':
            // e.g. set the Bitrix order's status from $message['data']['status'] and ['oneC'].
            break;
    }
    file_put_contents($dir . '/applied.log', json_encode(['id' => $message['id'], 'type' => $message['type'], 'data' => $message['data']], JSON_UNESCAPED_UNICODE) . "\n", FILE_APPEND | LOCK_EX);
});
http_response_code($status);
