import type { CreateOrderHandler } from "../../generated/contract.js";

/** Place an order (a nested object input). */
export const handler: CreateOrderHandler = async ({ customer, items }) => ({
  orderId: `order-${customer.name}`,
  itemCount: items.reduce((n, item) => n + item.quantity, 0),
});
