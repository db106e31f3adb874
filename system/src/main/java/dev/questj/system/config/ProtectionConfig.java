package dev.questj.system.config;

/**
 * The hardware protections. All on by default (Quest-V). {@code protection: mmu} turns all three off:
 * sandboxes are then separated only by their kernels' own page tables, and a faulty kernel or a
 * rogue device can reach other sandboxes; such accesses are counted as breaches.
 *
 * @param ept                extended page tables: each sandbox sees only its own memory and its channels
 * @param iommu              device DMA confined to the owning sandbox's frames
 * @param interruptRemapping message-signalled interrupts checked against the device's allowed vector and cores
 */
public record ProtectionConfig(boolean ept, boolean iommu, boolean interruptRemapping) {
    public static final ProtectionConfig FULL = new ProtectionConfig(true, true, true);
    public static final ProtectionConfig MMU_ONLY = new ProtectionConfig(false, false, false);

    public boolean isFull() {
        return ept && iommu && interruptRemapping;
    }
}
