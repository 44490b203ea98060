; SevenStick master boot record (BIOS).
;
; The BIOS loads this sector to 0:7C00 and jumps to it with DL = boot drive.
; We move ourselves to 0:0600, pick the active entry of the partition table,
; load that partition's first sector to 0:7C00 (INT 13h extensions when the
; BIOS has them, CHS from the entry otherwise), check its 55 AA signature and
; jump to it with DL = drive and DS:SI -> the partition entry, as MBRs always
; have. Errors print a short message through INT 10h and halt.
;
; Layout of the 512-byte sector (fixed by the partition table format):
;   0..439    code (this file)
;   440..443  disk signature   \
;   444..445  0                 > written by the disk planner; ZERO in mbr.bin
;   446..509  4 partition entries (16 bytes each) /
;   510..511  55 AA
;
; Build: nasm -f bin mbr.asm -o mbr.bin   (see build.sh)
; Define FORCE_CHS (nasm -DFORCE_CHS) to skip the extensions check: tests use
; that variant to exercise the CHS path, which QEMU's BIOS would never take.

        bits 16
        cpu 386

RELOC           equ 0x0600          ; where we run after moving
LOAD            equ 0x7C00          ; where the BIOS put us / where the VBR goes
PART_TABLE      equ RELOC + 446     ; partition table, in the relocated copy
ENTRY_SIZE      equ 16
; partition entry fields (offsets inside one 16-byte entry)
PE_STATUS       equ 0               ; 0x80 = active
PE_CHS_HEAD     equ 1
PE_CHS_SECT     equ 2               ; sector in bits 0..5, cylinder bits 8..9 in 6..7
PE_CHS_CYL      equ 3
PE_LBA          equ 8               ; start LBA (u32le)
SIG_OFFSET      equ 510             ; 55 AA
READ_TRIES      equ 4

        org RELOC

start:
        cli
        xor ax, ax
        mov ss, ax
        mov sp, LOAD
        mov ds, ax
        mov es, ax
        sti
        cld
        mov si, LOAD
        mov di, RELOC
        mov cx, 256
        rep movsw
        jmp 0:relocated

relocated:
        mov [drive], dl

        ; find the first entry with the active flag
        mov si, PART_TABLE
        mov cx, 4
.scan:
        test byte [si + PE_STATUS], 0x80
        jnz found
        add si, ENTRY_SIZE
        loop .scan
        mov si, msg_no_active
        jmp fail

found:
        mov bp, si                  ; keep the entry pointer
%ifndef FORCE_CHS
        ; INT 13h extensions present?  AH=41h, BX=55AAh -> CF=0, BX=AA55h, CX bit 0
        mov ah, 0x41
        mov bx, 0x55AA
        mov dl, [drive]
        int 0x13
        jc chs_read
        cmp bx, 0xAA55
        jne chs_read
        test cl, 1
        jz chs_read

        mov di, READ_TRIES
.ext_try:
        ; disk address packet on the stack: size 16, count 1, buffer 0:7C00, LBA
        push dword 0                ; LBA bits 32..63
        push dword [bp + PE_LBA]    ; LBA bits 0..31
        push word 0                 ; buffer segment
        push word LOAD              ; buffer offset
        push word 1                 ; sectors
        push word 0x10              ; packet size
        mov si, sp
        mov ah, 0x42
        mov dl, [drive]
        int 0x13
        lea sp, [si + 16]           ; drop the packet (lea keeps CF)
        jnc check_sig
        call reset_disk
        dec di
        jnz .ext_try
        jmp read_error
%endif

chs_read:
        mov di, READ_TRIES
.chs_try:
        mov dh, [bp + PE_CHS_HEAD]
        mov cx, [bp + PE_CHS_SECT]  ; CL = sector | cyl high bits, CH = cyl low
        mov dl, [drive]
        mov bx, LOAD
        mov ax, 0x0201              ; read 1 sector
        int 0x13
        jnc check_sig
        call reset_disk
        dec di
        jnz .chs_try
read_error:
        mov si, msg_read_error
        jmp fail

check_sig:
        cmp word [LOAD + SIG_OFFSET], 0xAA55
        je boot
        mov si, msg_missing
        jmp fail

boot:
        mov si, bp                  ; DS:SI -> partition entry (tradition)
        mov dl, [drive]
        jmp 0:LOAD

reset_disk:
        xor ax, ax
        mov dl, [drive]
        int 0x13
        ret

%include "fail.inc"

msg_no_active   db "No active partition", 0
msg_read_error  db "Disk read error", 0
msg_missing     db "Missing boot sector", 0

drive   db 0x80

code_end:
%if code_end - start > 440
  %error "MBR code is longer than 440 bytes"
%endif
        times 510 - ($ - $$) db 0
        dw 0xAA55
