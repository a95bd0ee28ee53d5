<?php
namespace OnecBridge;

/**
 * An answer other than 2xx: `getStatus()` is the HTTP status (404 no such customer — or one the
 * storefront does not see —, 409 an Idempotency-Key used for another order, 422 what 1C's data
 * does not allow: more bonuses than the cap, a price that is not 1C's), `getErrorCode()` the
 * service's code, `getDetails()` what it adds (the cap, the lines it could not price).
 * Status 0: the service could not be reached (send the same request again, with the same key).
 */
class ApiException extends \RuntimeException
{
    /** @var int */
    private $status;
    /** @var string */
    private $errorCode;
    /** @var mixed */
    private $details;
    /** @var string|null */
    private $requestId;

    /** @param mixed $details */
    public function __construct(int $status, string $errorCode, string $message, $details = null, ?string $requestId = null)
    {
        parent::__construct($message, $status);
        $this->status = $status;
        $this->errorCode = $errorCode;
        $this->details = $details;
        $this->requestId = $requestId;
    }

    public function getStatus(): int
    {
        return $this->status;
    }

    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** @return mixed */
    public function getDetails()
    {
        return $this->details;
    }

    /** The service's request id: quote it to support, it finds the request in the logs. */
    public function getRequestId(): ?string
    {
        return $this->requestId;
    }
}
