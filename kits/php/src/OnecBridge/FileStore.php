<?php
namespace OnecBridge;

/**
 * What a receiver has applied, in files under one folder, under an exclusive lock: webhook ids
 * (forgotten after 7 days) and the last version applied per entity.
 */
class FileStore
{
    /** @var string */
    private $dir;

    public function __construct(string $dir)
    {
        if (!is_dir($dir) && !mkdir($dir, 0700, true) && !is_dir($dir)) {
            throw new \RuntimeException('cannot create ' . $dir);
        }
        $this->dir = rtrim($dir, '/');
    }

    /**
     * Runs $apply unless this id was applied or the entity has this version or a newer one;
     * records both after $apply returns. True when $apply ran.
     *
     * @param array{0: string, 1: int}|null $entity
     */
    public function once(string $id, ?array $entity, callable $apply): bool
    {
        $lock = fopen($this->dir . '/.lock', 'c');
        if ($lock === false || !flock($lock, LOCK_EX)) {
            throw new \RuntimeException('cannot lock ' . $this->dir);
        }
        try {
            $state = $this->read();
            $now = time();
            foreach ($state['ids'] as $seen => $at) {
                if ($at < $now - Receiver::KEEP_IDS_SECONDS) {
                    unset($state['ids'][$seen]);
                }
            }
            if (isset($state['ids'][$id])) {
                return false;
            }
            if ($entity !== null && isset($state['versions'][$entity[0]]) && $state['versions'][$entity[0]] >= $entity[1]) {
                $state['ids'][$id] = $now;
                $this->write($state);
                return false;
            }
            $apply();
            $state['ids'][$id] = $now;
            if ($entity !== null) {
                $state['versions'][$entity[0]] = $entity[1];
            }
            $this->write($state);
            return true;
        } finally {
            flock($lock, LOCK_UN);
            fclose($lock);
        }
    }

    /** @return array{ids: array<string, int>, versions: array<string, int>} */
    private function read(): array
    {
        $raw = @file_get_contents($this->dir . '/state.json');
        $state = $raw === false ? null : json_decode($raw, true);
        return is_array($state) ? $state + ['ids' => [], 'versions' => []] : ['ids' => [], 'versions' => []];
    }

    /** @param array<string, mixed> $state */
    private function write(array $state): void
    {
        $temp = $this->dir . '/state.json.' . getmypid();
        file_put_contents($temp, json_encode($state));
        rename($temp, $this->dir . '/state.json');
    }
}
