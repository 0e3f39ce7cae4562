"use client";
// Define a directory pool: a name and an absolute path (created when the pool first starts).
import { FieldError, FormDialog, inputClass } from "./form-dialog";
import { poolsPath, useStorageChange } from "./storage-queries";
import { useFormErrors } from "./use-form-errors";

export function DefinePoolDialog({ hostId, open, onClose }: { hostId: string; open: boolean; onClose: () => void }) {
  const change = useStorageChange(hostId);
  const errors = useFormErrors();
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (f: FormData) => {
    const name = String(f.get("name") ?? "").trim();
    const path = String(f.get("path") ?? "").trim();
    const local: Record<string, string> = {};
    if (!name) local.name = "Give the pool a name";
    if (!path.startsWith("/")) local.path = "An absolute path, e.g. /var/lib/libvirt/images/fast";
    if (Object.keys(local).length) return errors.setLocal(local);
    change.mutate(
      { path: poolsPath(hostId), method: "POST", body: { name, path }, label: `Define pool ${name}` },
      { onSuccess: close, onError: (e) => errors.fail(e, ["name", "path"]) },
    );
  };
  return (
    <FormDialog
      open={open}
      title="Define a directory pool"
      submitLabel="Define"
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <label htmlFor="pool-name" className="text-sm font-medium">
        Name
      </label>
      <input
        id="pool-name"
        name="name"
        className={inputClass}
        required
        maxLength={64}
        placeholder="fast"
        aria-invalid={!!errors.fields.name}
        aria-describedby="pool-name-error"
      />
      <FieldError id="pool-name" error={errors.fields.name} />
      <label htmlFor="pool-path" className="text-sm font-medium">
        Directory on the host
      </label>
      <input
        id="pool-path"
        name="path"
        className={`${inputClass} font-mono`}
        required
        placeholder="/var/lib/libvirt/images/fast"
        aria-invalid={!!errors.fields.path}
        aria-describedby="pool-path-error"
      />
      <FieldError id="pool-path" error={errors.fields.path} />
      <p className="text-xs text-slate-500">The pool is defined stopped; starting it creates the directory when missing.</p>
    </FormDialog>
  );
}
