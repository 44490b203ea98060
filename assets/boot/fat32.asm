; SevenStick FAT32 volume boot code (BIOS): loads BOOTMGR.
;
; fat32.bin is 512 x (1 + STAGE2_SECTORS) bytes:
;   sector 0  the volume boot sector. Bytes 0..2 are EB 58 90 (jump over the
;             BPB), bytes 3..89 (0x03..0x59) are ZERO here because the disk
;             planner writes the BPB/EBPB there, code runs from 0x5A to 509,
;             55 AA at 510.
;   sector 1+ stage 2, written by the planner at partition sectors 12, 13, ...
;             (inside the 32 reserved sectors: FSInfo is at 1, the backup boot
;             sector at 6 and the backup FSInfo at 7).
;
; What it does, as the NT6 boot sector does (and what BOOTMGR relies on):
;   - leaves the boot sector with its BPB at 0:7C00, stores the BIOS drive
;     (DL) in the EBPB drive byte (0x40);
;   - loads stage 2 from HiddSec + 12 (HiddSec = partition start LBA);
;   - finds "BOOTMGR    " (8.3) in the root directory, following the root
;     directory's FAT chain across clusters and skipping deleted, LFN, volume
;     label and directory entries;
;   - loads the whole file, following its (possibly fragmented) FAT chain, to
;     2000:0000 and up; adjacent clusters are read together, in reads of <= 127
;     sectors that never cross a 64 KiB boundary;
;   - jumps to 2000:0000 with DL = drive, DS = ES = SS = 0, SP = 7C00.
; Reads use INT 13h extensions when present, CHS from the BPB geometry
; otherwise. Every failure prints a short message via INT 10h and halts.
;
; Field offsets: Microsoft FAT specification (fatgen103), BPB and FAT32 EBPB.
; Build: nasm -f bin fat32.asm -o fat32.bin   (see build.sh)
; Define FORCE_CHS to skip the INT 13h extensions check (test variant only).

        bits 16
        cpu 386

BASE            equ 0x7C00
STAGE2          equ 0x7E00          ; stage 2 runs right after the boot sector
STAGE2_LBA      equ 12              ; partition-relative sector of stage 2
DIRBUF          equ 0x9000          ; one directory sector (<= 4096 bytes)
FATBUF          equ 0xA000          ; one FAT sector (<= 4096 bytes)
LOAD_SEG        equ 0x2000          ; BOOTMGR goes to 2000:0000
MAX_READ        equ 127             ; sectors per INT 13h read (Phoenix EDD limit)
RUN_SECTORS     equ 128             ; adjacent clusters are merged into runs up to this
READ_TRIES      equ 4
STAGE2_MAGIC    equ 0x5337          ; "7S"

; BPB / FAT32 EBPB fields (offsets in the boot sector, fatgen103 "BPB")
BPB_BytsPerSec  equ 0x0B            ; u16
BPB_SecPerClus  equ 0x0D            ; u8
BPB_RsvdSecCnt  equ 0x0E            ; u16
BPB_NumFATs     equ 0x10            ; u8
BPB_SecPerTrk   equ 0x18            ; u16
BPB_NumHeads    equ 0x1A            ; u16
BPB_HiddSec     equ 0x1C            ; u32
BPB_FATSz32     equ 0x24            ; u32
BPB_ExtFlags    equ 0x28            ; u16: bit 7 = mirroring off, bits 0..3 = active FAT
BPB_RootClus    equ 0x2C            ; u32
BS_DrvNum       equ 0x40            ; u8
; directory entry fields
DIR_Name        equ 0               ; 11 bytes
DIR_Attr        equ 11
DIR_FstClusHI   equ 20
DIR_FstClusLO   equ 26
DIR_FileSize    equ 28
DIR_ENTRY_SIZE  equ 32
ATTR_VOLUME_ID  equ 0x08            ; LFN entries (0x0F) have it too
ATTR_DIRECTORY  equ 0x10
FAT_EOC         equ 0x0FFFFFF8      ; >= this ends a chain
FAT_BAD         equ 0x0FFFFFF7

; variables, below the stack area, outside the boot sector
        absolute 0x0500
v_ext           resb 1              ; 1 = INT 13h extensions usable
                resb 3
v_fat_lba       resd 1              ; absolute LBA of the FAT we read
v_data_lba      resd 1              ; absolute LBA of cluster 2
v_fat_cached    resd 1              ; absolute LBA of the FAT sector in FATBUF
v_clus          resd 1              ; current cluster
v_left          resd 1              ; BOOTMGR sectors still to load
v_seg           resw 1              ; destination segment of the next read
v_limit         resw 1              ; first segment we must not load into
v_insec         resw 1              ; sectors left in the current run of adjacent clusters
v_guard         resw 1              ; root directory cluster counter (loop guard)

        section .text
        org BASE

; ---------------------------------------------------------------- sector 0
        jmp short start             ; EB 58
        nop                         ; 90
        times 0x5A - ($ - $$) db 0  ; BPB + EBPB, written by the planner

start:
        cli
        xor ax, ax
        mov ss, ax
        mov sp, BASE
        mov ds, ax
        mov es, ax
        sti
        cld
        jmp 0:.cs_ok                ; some BIOSes enter at 07C0:0000
.cs_ok:
        mov [BASE + BS_DrvNum], dl
        mov byte [v_ext], 0
%ifndef FORCE_CHS
        mov ah, 0x41
        mov bx, 0x55AA
        int 0x13
        jc .no_ext
        cmp bx, 0xAA55
        jne .no_ext
        test cl, 1
        jz .no_ext
        inc byte [v_ext]
.no_ext:
%endif
        mov eax, [BASE + BPB_HiddSec]
        add eax, STAGE2_LBA
        mov bx, STAGE2
        mov cx, STAGE2_SECTORS
        call read_sectors
        cmp word [stage2_magic], STAGE2_MAGIC
        jne .no_stage2
        jmp stage2_main
.no_stage2:
        mov si, msg_stage2
        jmp fail

; Read CX (1..127) sectors at absolute LBA EAX to ES:BX. The caller keeps the
; buffer inside one 64 KiB DMA page. Preserves every register.
read_sectors:
        pushad
        push es
        cmp byte [v_ext], 0
        je .chs
        mov di, READ_TRIES
.ext_try:
        push dword 0                ; LBA bits 32..63
        push eax                    ; LBA bits 0..31
        push es                     ; buffer segment
        push bx                     ; buffer offset
        push cx                     ; sector count
        push word 0x10              ; packet size
        mov si, sp
        mov dl, [BASE + BS_DrvNum]
        mov ah, 0x42
        int 0x13
        lea sp, [si + 16]           ; drop the packet, keep CF
        jnc .done
        call reset_disk
        dec di
        jnz .ext_try
        jmp disk_error

.chs:                               ; one sector at a time
        push eax
        push cx
        xor edx, edx
        movzx ecx, word [BASE + BPB_SecPerTrk]
        jecxz disk_error
        div ecx                     ; eax = track, edx = sector - 1
        inc dx
        mov si, dx
        xor edx, edx
        movzx ecx, word [BASE + BPB_NumHeads]
        jecxz disk_error
        div ecx                     ; eax = cylinder, edx = head
        cmp eax, 1023
        ja disk_error
        mov ch, al                  ; cylinder bits 0..7
        shl ah, 6
        mov cl, ah                  ; cylinder bits 8..9 in CL bits 6..7
        mov ax, si
        or cl, al                   ; sector 1..63
        mov dh, dl                  ; head
        mov di, READ_TRIES
.chs_try:
        mov dl, [BASE + BS_DrvNum]
        mov ax, 0x0201
        int 0x13
        jnc .chs_ok
        call reset_disk
        dec di
        jnz .chs_try
        jmp disk_error
.chs_ok:
        pop cx
        pop eax
        inc eax
        mov dx, [BASE + BPB_BytsPerSec]
        shr dx, 4
        mov si, es
        add si, dx
        mov es, si
        loop .chs
.done:
        pop es
        popad
        ret

reset_disk:
        xor ax, ax
        mov dl, [BASE + BS_DrvNum]
        int 0x13
        ret

disk_error:
        mov si, msg_disk
%include "fail.inc"

msg_disk        db "Disk read error", 0
msg_stage2      db "Stage 2 missing", 0

sector0_end:
%if sector0_end - $$ > 510
  %error "boot sector code is longer than 510 bytes"
%endif
        times 510 - ($ - $$) db 0
        dw 0xAA55

; ---------------------------------------------------------------- stage 2
stage2_magic:
        dw STAGE2_MAGIC
stage2_main:
        ; sanity of the BPB values we divide by / size buffers with
        mov ax, [BASE + BPB_BytsPerSec]
        cmp ax, 512
        jb fs_damaged
        cmp ax, 4096
        ja fs_damaged
        mov cx, ax
        dec cx
        test ax, cx                 ; power of two
        jnz fs_damaged
        cmp byte [BASE + BPB_SecPerClus], 0
        je fs_damaged

        ; first FAT, data area
        movzx ebx, word [BASE + BPB_RsvdSecCnt]
        add ebx, [BASE + BPB_HiddSec]           ; ebx = LBA of FAT 0
        mov ecx, [BASE + BPB_FATSz32]
        test ecx, ecx
        jz fs_damaged
        movzx eax, byte [BASE + BPB_NumFATs]
        mul ecx
        add eax, ebx
        mov [v_data_lba], eax
        xor eax, eax
        test byte [BASE + BPB_ExtFlags], 0x80   ; mirroring off: use the active FAT
        jz .mirrored
        mov al, [BASE + BPB_ExtFlags]
        and al, 0x0F
        mul ecx
.mirrored:
        add eax, ebx
        mov [v_fat_lba], eax
        or dword [v_fat_cached], -1

        ; how far we may load: INT 12h = KiB of conventional memory
        int 0x12
        cmp ax, 640                 ; never trust more than 640 KiB
        jbe .mem_ok
        mov ax, 640
.mem_ok:
        shl ax, 6                   ; KiB -> paragraphs
        mov [v_limit], ax

; ---- find BOOTMGR in the root directory
        mov word [v_guard], 0
        mov eax, [BASE + BPB_RootClus]
.dir_cluster:
        mov [v_clus], eax
        call cluster_lba            ; ebp = first sector of the cluster
        movzx cx, byte [BASE + BPB_SecPerClus]
.dir_sector:
        mov eax, ebp
        push cx
        mov cx, 1
        mov bx, DIRBUF
        call read_sectors
        pop cx
        mov di, bx
        mov dx, [BASE + BPB_BytsPerSec]
        shr dx, 5                   ; entries per sector
.entry:
        cmp byte [di + DIR_Name], 0 ; end of directory
        je not_found
        cmp byte [di + DIR_Name], 0xE5 ; deleted
        je .next_entry
        test byte [di + DIR_Attr], ATTR_VOLUME_ID | ATTR_DIRECTORY
        jnz .next_entry             ; LFN, volume label, directory
        push cx
        push di
        mov si, bootmgr_name
        mov cx, 11
        repe cmpsb
        pop di
        pop cx
        je found
.next_entry:
        add di, DIR_ENTRY_SIZE
        dec dx
        jnz .entry
        inc ebp
        loop .dir_sector
        mov eax, [v_clus]
        call next_cluster
        jc not_found                ; end of the root directory chain
        inc word [v_guard]
        jz fs_damaged               ; 65536 clusters: a loop
        jmp .dir_cluster

; ---- load it
found:
        mov eax, [di + DIR_FileSize]
        test eax, eax
        jz not_found
        movzx ecx, word [BASE + BPB_BytsPerSec]
        xor edx, edx
        div ecx
        add edx, -1                 ; CF = remainder != 0
        adc eax, 0                  ; sectors = ceil(size / BytsPerSec)
        mov [v_left], eax
        mul ecx                     ; bytes we will read
        jc too_big
        shr eax, 4
        add eax, LOAD_SEG
        movzx ebx, word [v_limit]
        cmp eax, ebx
        ja too_big
        mov ax, [di + DIR_FstClusHI]
        shl eax, 16
        mov ax, [di + DIR_FstClusLO]
        mov word [v_seg], LOAD_SEG
.file_cluster:
        mov [v_clus], eax
        call cluster_lba            ; ebp = first sector of the cluster
        movzx ax, byte [BASE + BPB_SecPerClus]
        mov [v_insec], ax
.extend:                            ; grow the run while the next cluster is adjacent
        movzx ecx, word [v_insec]
        cmp ecx, [v_left]
        jae .chunk                  ; the run already covers the rest of the file
        cmp cx, RUN_SECTORS
        jae .chunk
        mov eax, [v_clus]
        call next_cluster
        jc .chunk                   ; end of chain: noticed after this run
        mov ebx, [v_clus]
        inc ebx
        cmp eax, ebx
        jne .chunk                  ; not adjacent: read this run first
        mov [v_clus], eax           ; v_clus = last cluster of the run
        movzx ax, byte [BASE + BPB_SecPerClus]
        add [v_insec], ax
        jmp .extend
.chunk:
        ; sectors until the next 64 KiB boundary (v_seg is sector aligned)
        mov cx, [v_seg]
        and cx, 0x0FFF
        mov ax, 0x1000
        sub ax, cx                  ; paragraphs to the boundary
        mov cx, [BASE + BPB_BytsPerSec]
        shr cx, 4                   ; paragraphs per sector
        xor dx, dx
        div cx
        cmp ax, MAX_READ
        jbe .n1
        mov ax, MAX_READ
.n1:
        cmp ax, [v_insec]
        jbe .n2
        mov ax, [v_insec]
.n2:
        movzx ecx, ax
        cmp ecx, [v_left]
        jbe .n3
        mov cx, [v_left]            ; v_left < 128 here
.n3:
        mov eax, ebp
        push es
        mov es, [v_seg]
        xor bx, bx
        call read_sectors
        pop es
        add ebp, ecx
        sub [v_insec], cx
        sub [v_left], ecx
        jz boot
        mov ax, [BASE + BPB_BytsPerSec]
        shr ax, 4
        mul cx                      ; paragraphs read (<= 0x1000)
        add [v_seg], ax
        cmp word [v_insec], 0
        jne .chunk
        mov eax, [v_clus]
        call next_cluster
        jc fs_damaged               ; chain shorter than the file
        jmp .file_cluster

boot:
        mov dl, [BASE + BS_DrvNum]
        xor ax, ax
        mov ds, ax
        mov es, ax
        cli
        mov ss, ax
        mov sp, BASE
        sti
        jmp LOAD_SEG:0

; EAX = cluster -> EBP = absolute LBA of its first sector. Bad numbers fail.
cluster_lba:
        sub eax, 2
        jb fs_damaged
        cmp eax, FAT_BAD - 2
        jae fs_damaged
        movzx ecx, byte [BASE + BPB_SecPerClus]
        mul ecx
        jc fs_damaged
        add eax, [v_data_lba]
        jc fs_damaged
        mov ebp, eax
        ret

; EAX = cluster -> EAX = next cluster; CF = 1 at the end of the chain.
; Keeps the last FAT sector read in FATBUF. Clobbers EBX, ECX, EDX.
next_cluster:
        shl eax, 2                  ; byte offset in the FAT (cluster < 2^28)
        movzx ecx, word [BASE + BPB_BytsPerSec]
        xor edx, edx
        div ecx                     ; eax = FAT sector, edx = offset in it
        cmp eax, [BASE + BPB_FATSz32]
        jae fs_damaged
        add eax, [v_fat_lba]
        cmp eax, [v_fat_cached]
        je .have
        mov [v_fat_cached], eax
        mov bx, FATBUF
        mov cx, 1
        call read_sectors
.have:
        mov bx, dx
        mov eax, [FATBUF + bx]
        and eax, 0x0FFFFFFF
        cmp eax, FAT_EOC
        cmc
        ret

not_found:
        mov si, msg_missing
        jmp fail
too_big:
        mov si, msg_too_big
        jmp fail
fs_damaged:
        mov si, msg_damaged
        jmp fail

bootmgr_name    db "BOOTMGR    "
msg_missing     db "BOOTMGR is missing", 0
msg_too_big     db "BOOTMGR is too big", 0
msg_damaged     db "File system damaged", 0

stage2_end:
STAGE2_SECTORS  equ (stage2_end - stage2_magic + 511) / 512
%if STAGE2_SECTORS > 3
  %error "stage 2 is longer than 3 sectors"
%endif
        times STAGE2_SECTORS * 512 - (stage2_end - stage2_magic) db 0
