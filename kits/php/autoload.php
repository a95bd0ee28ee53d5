<?php
/**
 * onec-bridge PHP kit: no Composer needed. require_once this file, then use OnecBridge\Client,
 * OnecBridge\Webhook and OnecBridge\Receiver. PHP >= 7.4 with the curl and hash extensions.
 */
spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'OnecBridge\\', 11) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', $class) . '.php';
    if (is_file($file)) {
        require_once $file;
    }
});
