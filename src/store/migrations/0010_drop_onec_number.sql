-- What 1C says of an order (its number included) lives in orders.onec since 0007.
alter table orders drop column onec_number;
