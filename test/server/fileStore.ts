import { newId, unixSeconds } from './ids';

/** OpenAI's file object. */
export interface FileObject {
  readonly id: string;
  readonly object: 'file';
  readonly bytes: number;
  readonly created_at: number;
  readonly filename: string;
  readonly purpose: string;
  readonly status: 'processed';
  readonly expires_at: number | null;
  readonly status_details: null;
}

/** Uploaded and generated files (batch inputs, outputs and error files), in memory. */
export class FileStore {
  private readonly files = new Map<string, { readonly object: FileObject; readonly data: Buffer }>();

  /** Stores `data` and returns its file object. */
  add(filename: string, purpose: string, data: Buffer): FileObject {
    const object: FileObject = {
      id: newId('file-'),
      object: 'file',
      bytes: data.length,
      created_at: unixSeconds(),
      filename,
      purpose,
      status: 'processed',
      expires_at: null,
      status_details: null,
    };
    this.files.set(object.id, { object, data });
    return object;
  }

  /** The file object, or undefined. */
  get(id: string): FileObject | undefined {
    return this.files.get(id)?.object;
  }

  /** The file's bytes, or undefined. */
  content(id: string): Buffer | undefined {
    return this.files.get(id)?.data;
  }

  /** Deletes a file; false when there was none. */
  delete(id: string): boolean {
    return this.files.delete(id);
  }

  /** Every file, newest first. */
  list(): FileObject[] {
    return [...this.files.values()].map((file) => file.object).reverse();
  }
}
