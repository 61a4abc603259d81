/**
 * A hash index over an array of app keys that already exists, for matching.
 *
 * A Map<string, number> of 100,000 app keys costs about 30 ms to build (its table grows and is
 * rehashed many times, and every entry is written into a fresh backing store), more than the
 * rest of the matching. The keys are already in an array, so this index only stores their
 * positions in one pre-sized Int32Array (open addressing, linear probing, load at most 1/2):
 * about 5 ms for the same keys. Each slot keeps its key's hash too, so a probe that passes
 * another key compares two numbers instead of reading that key's string from memory.
 * Read-only once built.
 */
export class AppKeyIndex {
	private readonly slots: Int32Array;
	private readonly hashes: Int32Array;
	private readonly mask: number;

	/**
	 * Indexes every non-empty key: each key maps to the first position holding it. `onDuplicate`
	 * is called for every later position whose key was indexed already.
	 */
	constructor(
		private readonly keys: readonly string[],
		onDuplicate: (key: string) => void,
	) {
		let capacity = 16;
		while (capacity < keys.length * 2) capacity *= 2;
		this.slots = new Int32Array(capacity).fill(-1);
		this.hashes = new Int32Array(capacity);
		this.mask = capacity - 1;
		const { slots, hashes, mask } = this;
		for (let j = 0; j < keys.length; j++) {
			const key = keys[j];
			if (key === '') continue;
			const hash = hashKey(key);
			let slot = hash & mask;
			for (;;) {
				const held = slots[slot];
				if (held < 0) {
					slots[slot] = j;
					hashes[slot] = hash;
					break;
				}
				if (hashes[slot] === hash && keys[held] === key) {
					onDuplicate(key);
					break;
				}
				slot = (slot + 1) & mask;
			}
		}
	}

	/** The first app position with `key`, else undefined. */
	get(key: string): number | undefined {
		const { slots, hashes, mask, keys } = this;
		const hash = hashKey(key);
		let slot = hash & mask;
		for (;;) {
			const held = slots[slot];
			if (held < 0) return undefined;
			if (hashes[slot] === hash && keys[held] === key) return held;
			slot = (slot + 1) & mask;
		}
	}
}

/** FNV-1a over the UTF-16 code units: cheap, and the index keeps its load at most 1/2. */
function hashKey(key: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
	return hash;
}
