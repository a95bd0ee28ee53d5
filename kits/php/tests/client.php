<?php
/**
 * The PHP client against a running onec-bridge (run by test/kit-php.test.ts): prints one JSON
 * object with what each call answered. Settings: BASE_URL, API_KEY, CUSTOMER, OFFER.
 */
require_once __DIR__ . '/../autoload.php';

$api = new OnecBridge\Client((string) getenv('BASE_URL'), (string) getenv('API_KEY'));
$customer = (string) getenv('CUSTOMER');
$offer = (string) getenv('OFFER');
$out = [];
$out['quote'] = $api->quote($customer, [['offerId' => $offer, 'quantity' => 2]]);
$order = [
    'externalId' => 'php-1',
    'number' => 'PHP-1',
    'customerId' => $customer,
    'lines' => [['offerId' => $offer, 'quantity' => 2]],
    'bonusMinor' => $out['quote']['maxRedeemableMinor'],
    'comment' => 'Заказ из PHP',
];
$out['order'] = $api->createOrder('php-site:1', $order);
$out['again'] = $api->createOrder('php-site:1', $order);
$out['bonus'] = $api->customerBonus($customer);
try {
    $api->quote($customer, [['offerId' => $offer, 'quantity' => 1, 'unitPriceMinor' => 1]]);
    $out['inflated'] = 'accepted';
} catch (OnecBridge\ApiException $error) {
    $out['inflated'] = ['status' => $error->getStatus(), 'code' => $error->getErrorCode(), 'message' => $error->getMessage(), 'details' => $error->getDetails()];
}
try {
    $api->customer('nobody');
} catch (OnecBridge\ApiException $error) {
    $out['missing'] = ['status' => $error->getStatus(), 'message' => $error->getMessage()];
}
$out['cancelled'] = $api->cancelOrder($out['order']['id'], 'передумал');
$out['changes'] = $api->changes(0, 1000);
echo json_encode($out, JSON_UNESCAPED_UNICODE);
