/**
 * @module The parts of the `@serialport/bindings-interface` 1.2 contract
 * that `TtyBinding` implements. Declared here because that package's
 * `exports` map has no `types` entry, so TypeScript's bundler resolution
 * cannot see its declarations.
 */

/** Settings a port is opened with. */
export interface PortOpenOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  lock?: boolean;
  rtscts?: boolean;
  xon?: boolean;
  xoff?: boolean;
  xany?: boolean;
  hupcl?: boolean;
}

/** Modem status lines. */
export interface PortStatus {
  cts: boolean;
  dsr: boolean;
  dcd: boolean;
}

/** Modem control lines and break. */
export interface PortSetOptions {
  brk?: boolean;
  cts?: boolean;
  dsr?: boolean;
  dtr?: boolean;
  rts?: boolean;
}

/** Metadata of one listed port; only `path` is guaranteed. */
export interface PortInfo {
  path: string;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  pnpId: string | undefined;
  locationId: string | undefined;
  productId: string | undefined;
  vendorId: string | undefined;
}

/** An open port as `SerialPortStream` drives it. */
export interface BindingPort {
  readonly openOptions: Required<PortOpenOptions>;
  isOpen: boolean;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: PortSetOptions): Promise<void>;
  get(): Promise<PortStatus>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

/** A binding: lists and opens ports. */
export interface Binding<T extends BindingPort = BindingPort> {
  list(): Promise<PortInfo[]>;
  open(options: PortOpenOptions): Promise<T>;
}
