<?php
namespace OnecBridge;

/**
 * The onec-bridge storefront API over curl. Every method returns the decoded JSON answer as an
 * array and throws ApiException for anything but 2xx. Amounts are integer minor units
 * (kopecks): 123450 is 1 234,50 ₽.
 *
 *   $api = new \OnecBridge\Client('https://bridge.example', 'sk_…');
 *   $quote = $api->quote($customerId, [['offerId' => $offerId, 'quantity' => 2]]);
 *   $order = $api->createOrder('site1:' . $orderId, [...order..., 'bonusMinor' => $quote['appliedMinor']]);
 */
class Client
{
    /** @var string */
    private $baseUrl;
    /** @var string */
    private $apiKey;
    /** @var int */
    private $timeout;

    public function __construct(string $baseUrl, string $apiKey, int $timeoutSeconds = 15)
    {
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->apiKey = $apiKey;
        $this->timeout = $timeoutSeconds;
    }

    /**
     * How many points this cart may take, at 1C's prices for the customer: per line its price,
     * sum, cap and allocation; totalMinor, maxRedeemableMinor, appliedMinor, appliedMoneyMinor,
     * payableMinor. A line's unitPriceMinor may be left out (it is 1C's).
     *
     * @param array<int, array{offerId: string, quantity: int|float, unitPriceMinor?: int, autoDiscountPercent?: int|float}> $lines
     * @return array<string, mixed>
     */
    public function quote(string $customerId, array $lines, ?int $requestedPoints = null): array
    {
        $body = ['customerId' => $customerId, 'lines' => $lines];
        if ($requestedPoints !== null) {
            $body['requestedPoints'] = $requestedPoints;
        }
        return $this->request('POST', '/api/v1/bonus/quote', $body);
    }

    /**
     * Takes an order. Use one Idempotency-Key per order (site id + order id) and the same body on
     * every retry: the service answers the same order (201 the first time, 200 after).
     *
     * @param array<string, mixed> $order externalId, number, customerId, lines, bonusMinor, delivery?, paymentMethod?, comment?
     * @return array<string, mixed>
     */
    public function createOrder(string $idempotencyKey, array $order): array
    {
        return $this->request('POST', '/api/v1/orders', $order, ['Idempotency-Key: ' . $idempotencyKey]);
    }

    /** @return array<string, mixed> */
    public function getOrder(string $id): array
    {
        return $this->request('GET', '/api/v1/orders/' . rawurlencode($id));
    }

    /** @return array<string, mixed> */
    public function cancelOrder(string $id, ?string $reason = null): array
    {
        return $this->request('POST', '/api/v1/orders/' . rawurlencode($id) . '/cancel', $reason === null ? new \stdClass() : ['reason' => $reason]);
    }

    /** @return array<string, mixed> */
    public function customer(string $id): array
    {
        return $this->request('GET', '/api/v1/customers/' . rawurlencode($id));
    }

    /**
     * The account the customer spends from: balanceMinor, heldMinor, availableMinor, holds.
     *
     * @return array<string, mixed>
     */
    public function customerBonus(string $id): array
    {
        return $this->request('GET', '/api/v1/customers/' . rawurlencode($id) . '/bonus');
    }

    /** @return array<string, mixed> */
    public function bonusConditions(string $id): array
    {
        return $this->request('GET', '/api/v1/customers/' . rawurlencode($id) . '/bonus/programme');
    }

    /** @return array<string, mixed> offers, next (pass next.cursor back) */
    public function bonusOffers(string $id, ?string $cursor = null, int $limit = 100): array
    {
        return $this->request('GET', '/api/v1/customers/' . rawurlencode($id) . '/bonus/offers?' . http_build_query(array_filter(['cursor' => $cursor, 'limit' => $limit])));
    }

    /** @return array<string, mixed> offers, next; with $customerId each offer carries forCustomer (price, bonus label) */
    public function offers(?string $cursor = null, int $limit = 100, ?string $customerId = null): array
    {
        return $this->request('GET', '/api/v1/offers?' . http_build_query(array_filter(['cursor' => $cursor, 'limit' => $limit, 'customerId' => $customerId])));
    }

    /**
     * The change feed: events after $after, in order; store next.after only after applying them.
     *
     * @return array<string, mixed> events, next
     */
    public function changes(int $after = 0, int $limit = 100): array
    {
        return $this->request('GET', '/api/v1/events?' . http_build_query(['after' => $after, 'limit' => $limit]));
    }

    /**
     * @param array<string, mixed>|\stdClass|null $body
     * @param string[] $headers
     * @return array<string, mixed>
     */
    public function request(string $method, string $path, $body = null, array $headers = []): array
    {
        $curl = curl_init($this->baseUrl . $path);
        $headers[] = 'Authorization: Bearer ' . $this->apiKey;
        $headers[] = 'Accept: application/json';
        $options = [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => $this->timeout,
            CURLOPT_CONNECTTIMEOUT => min(5, $this->timeout),
            CURLOPT_FOLLOWLOCATION => false,
        ];
        if ($body !== null) {
            $options[CURLOPT_POSTFIELDS] = json_encode($body, JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR);
            $headers[] = 'Content-Type: application/json';
        }
        $options[CURLOPT_HTTPHEADER] = $headers;
        curl_setopt_array($curl, $options);
        $raw = curl_exec($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $failure = curl_error($curl);
        curl_close($curl);
        if ($raw === false) {
            throw new ApiException(0, 'UNREACHABLE', 'onec-bridge did not answer: ' . $failure);
        }
        $answer = $raw === '' ? [] : json_decode((string) $raw, true);
        if (!is_array($answer)) {
            throw new ApiException($status, 'BAD_ANSWER', 'onec-bridge answered ' . $status . ' with something other than JSON');
        }
        if ($status < 200 || $status >= 300) {
            $error = isset($answer['error']) && is_array($answer['error']) ? $answer['error'] : [];
            throw new ApiException($status, (string) ($error['code'] ?? 'HTTP_' . $status), (string) ($error['message'] ?? 'HTTP ' . $status), $error['details'] ?? null, $error['requestId'] ?? null);
        }
        return $answer;
    }
}
