<?php
namespace OnecBridge;

/** A webhook that is not genuine or too old: answer 400 and do not apply it. */
class WebhookException extends \RuntimeException
{
}
